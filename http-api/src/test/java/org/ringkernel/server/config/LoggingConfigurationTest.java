package org.ringkernel.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.server.config.TestFiles.write;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.bridge.runtime.SettingsException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** conf/logback.xml, the jar's copy of it, and how the server hands it the logging settings. */
class LoggingConfigurationTest {
    private static final Path OPERATOR_COPY = TestFiles.CONF.resolve("logback.xml");
    private static final Path JAR_COPY = Path.of("src/main/resources/logback.xml");

    @TempDir
    Path dir;

    @Test
    void theOperatorCopyIsXmlNamingATextAndAJsonAppender()
            throws ParserConfigurationException, SAXException, IOException {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(OPERATOR_COPY.toFile());
        NodeList appenders = document.getElementsByTagName("appender");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < appenders.getLength(); i++) {
            names.add(((Element) appenders.item(i)).getAttribute("name"));
        }
        assertEquals(List.of("json", "text"), names);
    }

    @Test
    void theJarCarriesTheSameFileAsConf() {
        assertEquals(TestFiles.read(OPERATOR_COPY), TestFiles.read(JAR_COPY));
    }

    @Test
    void textLinesShowTheRequestIdWhenThereIsOne() throws JoranException {
        Logger root = configure(Map.of("RINGKERNEL_LOG_FORMAT", "text"));
        Encoder<ILoggingEvent> encoder = encoderOf(root, "text");

        String withId = encode(encoder, event(root, Map.of("request_id", "req-7")));
        String withoutId = encode(encoder, event(root, Map.of()));

        assertTrue(withId.contains(" request_id=req-7 - served square in 3 ms"), withId);
        assertTrue(withoutId.contains("LoggingConfigurationTest - served square in 3 ms"), withoutId);
        assertFalse(withoutId.contains("request_id"), withoutId);
    }

    @Test
    void jsonLinesAreObjectsCarryingTheRequestId() throws JoranException, IOException {
        Logger root = configure(Map.of("RINGKERNEL_LOG_FORMAT", "json"));
        Encoder<ILoggingEvent> encoder = encoderOf(root, "json");
        assertInstanceOf(JsonEncoder.class, encoder);

        String line = encode(encoder, event(root, Map.of("request_id", "req-7")));
        JsonNode json = new ObjectMapper().readTree(line);

        assertEquals("INFO", json.get("level").asText());
        assertEquals("served square in 3 ms", json.get("formattedMessage").asText());
        assertEquals("req-7", json.get("mdc").get("request_id").asText());
        assertEquals(1, line.strip().lines().count(), line);
    }

    @Test
    void aFormatOtherThanJsonLogsText() throws JoranException {
        assertEquals("text", appenderName(configure(Map.of("RINGKERNEL_LOG_FORMAT", "yaml"))));
    }

    @Test
    void theLevelOfTheServersLoggersComesFromTheLevelVariable() throws JoranException {
        Logger root = configure(Map.of("RINGKERNEL_LOG_FORMAT", "text", "RINGKERNEL_LOG_LEVEL", "debug"));
        assertEquals(Level.DEBUG, root.getLoggerContext().getLogger("org.ringkernel").getLevel());
        assertEquals(Level.INFO, root.getLevel());
    }

    @Test
    void loggingSetupPassesTheNormalisedFormatAndLevel() {
        Map<String, String> properties = LoggingSetup.properties(ServerConfig.load(List.of(),
                Map.of("RINGKERNEL_LOG_FORMAT", " JSON ", "RINGKERNEL_LOG_LEVEL", "DEBUG"), dir), dir);
        assertEquals(Map.of(LoggingSetup.FORMAT_PROPERTY, "json", LoggingSetup.LEVEL_PROPERTY, "debug"), properties);
    }

    @Test
    void loggingSetupPointsLogbackAtTheOperatorsCopyWhenThereIsOne() {
        write(dir, "conf/logback.xml", TestFiles.read(OPERATOR_COPY));
        Map<String, String> properties = LoggingSetup.properties(ServerConfig.load(List.of(), Map.of(), dir), dir);
        assertEquals(dir.resolve("conf/logback.xml").toAbsolutePath().toString(),
                properties.get(LoggingSetup.CONFIGURATION_FILE_PROPERTY));
        assertEquals("text", properties.get(LoggingSetup.FORMAT_PROPERTY));
        assertEquals("info", properties.get(LoggingSetup.LEVEL_PROPERTY));
    }

    @Test
    void loggingSetupRejectsABadFormatBeforeAnythingLogs() {
        SettingsException e = assertThrows(SettingsException.class, () -> LoggingSetup.properties(
                ServerConfig.load(List.of(), Map.of("RINGKERNEL_LOG_FORMAT", "xml"), dir), dir));
        assertEquals("ringkernel.logging.format: expected text or json, got 'xml'"
                + " (set in environment variable RINGKERNEL_LOG_FORMAT)", e.getMessage());
    }

    /** A logger context of its own, configured from conf/logback.xml with {@code variables} as its properties. */
    private static Logger configure(Map<String, String> variables) throws JoranException {
        LoggerContext context = new LoggerContext();
        variables.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(OPERATOR_COPY.toFile());
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private static Encoder<ILoggingEvent> encoderOf(Logger root, String expectedAppender) {
        assertEquals(expectedAppender, appenderName(root));
        return ((OutputStreamAppender<ILoggingEvent>) root.iteratorForAppenders().next()).getEncoder();
    }

    /** The name of the root logger's one appender. */
    private static String appenderName(Logger root) {
        Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders();
        String name = appenders.next().getName();
        assertFalse(appenders.hasNext(), "one appender");
        return name;
    }

    private static LoggingEvent event(Logger root, Map<String, String> mdc) {
        Logger logger = root.getLoggerContext().getLogger(LoggingConfigurationTest.class);
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "served {} in {} ms", null,
                new Object[] {"square", 3});
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
