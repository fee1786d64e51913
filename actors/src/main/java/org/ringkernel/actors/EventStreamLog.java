package org.ringkernel.actors;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

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
    private final Class<?> source;
    private final boolean echo;

    private EventStreamLog(LoggingAdapter log, Class<?> source, boolean echo) {
        this.log = log;
        this.source = source;
        this.echo = echo;
    }

    /** A log whose lines come from {@code source}, on {@code system}'s event stream. */
    static EventStreamLog of(ActorSystem<?> system, Class<?> source) {
        boolean slf4jProvided = !(LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory);
        return new EventStreamLog(Logging.getLogger(system.classicSystem(), source), source,
                echoesToStdout(slf4jProvided, system.settings().config()));
    }

    /** Whether lines must also go to stdout: Pekko sends its log events to SLF4J, and SLF4J has no provider. */
    static boolean echoesToStdout(boolean slf4jProvided, Config config) {
        return !slf4jProvided && config.getStringList("pekko.loggers").contains(SLF4J_LOGGER);
    }

    void info(String message) {
        log.info(message);
        if (echo && log.isInfoEnabled()) {
            Logging.StandardOutLogger().print(new Logging.Info(source.getName(), source, message));
        }
    }

    void warning(String message) {
        log.warning(message);
        if (echo && log.isWarningEnabled()) {
            Logging.StandardOutLogger().print(new Logging.Warning(source.getName(), source, message));
        }
    }

    void error(String message) {
        log.error(message);
        if (echo && log.isErrorEnabled()) {
            Logging.StandardOutLogger().print(new Logging.Error(source.getName(), source, message));
        }
    }
}
