package org.ringkernel.actors;

import com.typesafe.config.Config;
import java.util.ServiceLoader;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.event.LoggingBus;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The bridge's log lines an application must see (the backend chosen, kernel failures and restarts), published on
 * Pekko's event stream: they reach whatever {@code pekko.loggers} the application configured, once. With
 * {@code pekko-slf4j} (which Pekko Typed brings and uses by default) that is SLF4J, and an application that has no
 * SLF4J provider would lose them; there the lines are also printed to stdout as Pekko's default logger prints,
 * which no provider means nothing else prints.
 */
final class EventStreamLog {
    static final String SLF4J_LOGGER = "org.apache.pekko.event.slf4j.Slf4jLogger";

    private final LoggingAdapter log;
    private final LoggingBus bus;
    private final Class<?> source;
    private final boolean echo;

    private EventStreamLog(LoggingAdapter log, LoggingBus bus, Class<?> source, boolean echo) {
        this.log = log;
        this.bus = bus;
        this.source = source;
        this.echo = echo;
    }

    /** A log whose lines come from {@code source}, on {@code system}'s event stream. */
    static EventStreamLog of(ActorSystem<?> system, Class<?> source) {
        org.apache.pekko.actor.ActorSystem classic = system.classicSystem();
        return new EventStreamLog(Logging.getLogger(classic, source), classic.eventStream(), source,
                echoesToStdout(slf4jProvided(), system.settings().config()));
    }

    /**
     * Whether SLF4J finds a provider, asked the way SLF4J itself looks (a named provider, else the service
     * loader) rather than through its logger factory, which answers a stand-in while SLF4J initializes.
     */
    static boolean slf4jProvided() {
        return System.getProperty("slf4j.provider") != null
                || ServiceLoader.load(SLF4JServiceProvider.class, EventStreamLog.class.getClassLoader()).iterator()
                .hasNext();
    }

    /** Whether lines must also go to stdout: Pekko sends its log events to SLF4J, and SLF4J has no provider. */
    static boolean echoesToStdout(boolean slf4jProvided, Config config) {
        return !slf4jProvided && config.getStringList("pekko.loggers").contains(SLF4J_LOGGER);
    }

    // The echo asks the event stream's level, not the adapter's: with pekko-slf4j the adapter asks SLF4J, which
    // without a provider says every level is off.
    void info(String message) {
        log.info(message);
        if (echo && bus.logLevel() >= Logging.InfoLevel()) {
            Logging.StandardOutLogger().print(new Logging.Info(source.getName(), source, message));
        }
    }

    void warning(String message) {
        log.warning(message);
        if (echo && bus.logLevel() >= Logging.WarningLevel()) {
            Logging.StandardOutLogger().print(new Logging.Warning(source.getName(), source, message));
        }
    }

    void error(String message) {
        log.error(message);
        if (echo && bus.logLevel() >= Logging.ErrorLevel()) {
            Logging.StandardOutLogger().print(new Logging.Error(source.getName(), source, message));
        }
    }
}
