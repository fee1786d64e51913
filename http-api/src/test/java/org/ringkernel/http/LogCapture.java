package org.ringkernel.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects every event logged while it is open, from every logger, for tests to look at. */
public final class LogCapture implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture() {
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(root.getLoggerContext());
        appender.setName("test-capture");
        appender.start();
        root.addAppender(appender);
    }

    /** Starts collecting; {@link #close()} stops. */
    public static LogCapture attach() {
        return new LogCapture();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** Events at {@code level} whose message contains {@code text}. */
    public List<ILoggingEvent> find(Level level, String text) {
        return events.stream().filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text)).toList();
    }

    /** Events at ERROR, or carrying a throwable, as lines for an assertion message. */
    public List<String> errorsAndThrowables() {
        return events.stream().filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null)
                .map(LogCapture::describe).collect(Collectors.toList());
    }

    public static String describe(ILoggingEvent e) {
        return e.getLevel() + " " + e.getLoggerName() + " " + e.getMDCPropertyMap() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getClassName() + ": "
                + e.getThrowableProxy().getMessage());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
