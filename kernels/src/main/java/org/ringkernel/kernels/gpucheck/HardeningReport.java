package org.ringkernel.kernels.gpucheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The CUDA hardening checks as one pass/fail line each, read from the JUnit reports of the {@code cuda} tests that
 * the GPU check ran before: whether each defect that only a device can show is fixed there. A check whose test
 * did not run (skipped, or missing from the reports) fails, since then nothing was shown.
 *
 * <p>Usage: {@code java -cp ringkernel-selfcheck.jar org.ringkernel.kernels.gpucheck.HardeningReport REPORTS
 * [OUT]}, where {@code REPORTS} holds the launcher's XML reports in folders of their own; prints a markdown table
 * and writes it to {@code OUT/hardening.md} when {@code OUT} is given. Exit status 0 when every check passed,
 * 1 otherwise, 2 on wrong arguments.
 */
public final class HardeningReport {
    /** Each check and the test that shows it. */
    static final List<Check> CHECKS = List.of(
            new Check("eager loading: kernels start beside a running persistent kernel (driver loading lazily)",
                    "org.ringkernel.kernels.cuda.CudaHardeningTest",
                    "eagerLoadingLetsKernelsStartBesideARunningPersistentKernel"),
            new Check("no blocking allocation: requests beyond the memory pool wait for room and complete",
                    "org.ringkernel.kernels.cuda.CudaHardeningTest",
                    "requestsBeyondTheDeviceMemoryPoolWaitForRoomAndComplete"),
            new Check("cost routing: attention over [4096, 32] takes the launch path, a small one the ring",
                    "org.ringkernel.kernels.cuda.CostRoutingTest", "costRoutingSendsTheLargeAttentionToTheLaunchPath"),
            new Check("watchdog on a stuck worker: the kernel reports WORKER_STALLED within its limit",
                    "org.ringkernel.kernels.cuda.CudaWatchdogStuckWorkerTest",
                    "aStuckWorkerBlockMakesTheKernelReportWorkerStalledWithinItsLimit"),
            new Check("softmax and stats semantics: masked softmax rows and stats match the float64 reference",
                    "org.ringkernel.kernels.cuda.CudaHardeningTest",
                    "maskedSoftmaxAndStatsFollowTheirDocumentedSemantics"));

    private HardeningReport() {
    }

    /**
     * One check.
     *
     * @param label what it shows, as its line says
     * @param testClass the test's class
     * @param testMethod the test's method
     */
    record Check(String label, String testClass, String testMethod) {
    }

    /** Writes the report; the class comment gives the arguments and exit status. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HardeningReport REPORTS [OUT]");
            System.exit(2);
        }
        String table = markdown(outcomes(Path.of(args[0])));
        System.out.print(table);
        if (args.length == 2) {
            try {
                Files.writeString(Path.of(args[1], "hardening.md"), table, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("cannot write " + Path.of(args[1], "hardening.md") + ": " + e.getMessage());
                System.exit(1);
            }
        }
        System.exit(table.contains("| FAIL |") ? 1 : 0);
    }

    /** Every test case in the XML reports under {@code reports}: "class#method" to its outcome. */
    static Map<String, String> outcomes(Path reports) {
        Map<String, String> outcomes = new HashMap<>();
        if (!Files.isDirectory(reports)) {
            return outcomes;
        }
        try (Stream<Path> files = Files.walk(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                read(file, outcomes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reports in " + reports, e);
        }
        return outcomes;
    }

    private static void read(Path file, Map<String, String> outcomes) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            outcomes.put(file.toString(), "unreadable report: " + e.getMessage());
            return;
        }
        NodeList cases = document.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            String name = testCase.getAttribute("name");
            int parenthesis = name.indexOf('(');
            String method = parenthesis < 0 ? name : name.substring(0, parenthesis);
            outcomes.put(testCase.getAttribute("classname") + "#" + method, outcome(testCase));
        }
    }

    /** "pass", or why not: the failure's message, or why it was skipped. */
    private static String outcome(Element testCase) {
        for (String problem : List.of("failure", "error", "skipped")) {
            NodeList found = testCase.getElementsByTagName(problem);
            if (found.getLength() > 0) {
                return problem + ": " + message((Element) found.item(0));
            }
        }
        return "pass";
    }

    /**
     * What an element says went wrong: its message attribute, else the first line of its text (the launcher
     * writes an aborted test's exception there).
     */
    private static String message(Element element) {
        String message = element.getAttribute("message");
        if (message.isEmpty()) {
            message = element.getTextContent().strip().lines().findFirst().orElse("no message");
        }
        return message.lines().findFirst().orElse("no message");
    }

    /** The table: one line per check, PASS or FAIL with the reason. */
    static String markdown(Map<String, String> outcomes) {
        List<String> lines = new ArrayList<>();
        lines.add("| CUDA hardening check | result | test | detail |");
        lines.add("|---|---|---|---|");
        for (Check check : CHECKS) {
            String outcome = outcomes.getOrDefault(check.testClass() + "#" + check.testMethod(), "did not run");
            String test = check.testClass().substring(check.testClass().lastIndexOf('.') + 1) + "." + check.testMethod();
            lines.add("| " + check.label() + " | " + (outcome.equals("pass") ? "PASS" : "FAIL") + " | " + test + " | "
                    + (outcome.equals("pass") ? "" : outcome.replace('|', '/')) + " |");
        }
        return String.join("\n", lines) + "\n";
    }
}
