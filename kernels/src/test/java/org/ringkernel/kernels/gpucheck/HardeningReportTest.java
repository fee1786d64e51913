package org.ringkernel.kernels.gpucheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hardening lines, read from reports in the JUnit console launcher's legacy XML format. */
class HardeningReportTest {

    @Test
    void eachCheckIsOneLineThatPassesOnlyWhenItsTestPassed(@TempDir Path reports) throws IOException {
        List<HardeningReport.Check> checks = HardeningReport.CHECKS;
        Files.createDirectories(reports.resolve("kernels"));
        Files.writeString(reports.resolve("kernels/TEST-junit-jupiter.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="JUnit Jupiter" tests="3" skipped="1" failures="1" errors="0">
                <testcase name="%s()" classname="%s" time="1.2"/>
                <testcase name="%s()" classname="%s" time="30.1">
                <failure message="matmul did not answer within PT30S" type="java.lang.AssertionError">trace</failure>
                </testcase>
                <testcase name="%s()" classname="%s" time="0">
                <skipped><![CDATA[org.opentest4j.TestAbortedException: Assumption failed: no usable CUDA device
                	at org.junit.jupiter.api.Assumptions.throwAssumptionFailed(Assumptions.java:321)
                ]]></skipped>
                </testcase>
                </testsuite>
                """.formatted(checks.get(0).testMethod(), checks.get(0).testClass(), checks.get(1).testMethod(),
                checks.get(1).testClass(), checks.get(2).testMethod(), checks.get(2).testClass()));

        String[] lines = HardeningReport.markdown(HardeningReport.outcomes(reports)).split("\n");

        assertEquals(2 + checks.size(), lines.length);
        assertEquals(line(checks.get(0), "PASS", ""), lines[2]);
        assertEquals(line(checks.get(1), "FAIL", "failure: matmul did not answer within PT30S"), lines[3]);
        assertEquals(line(checks.get(2), "FAIL", "skipped: org.opentest4j.TestAbortedException: Assumption failed: no usable CUDA device"), lines[4]);
        for (int i = 3; i < checks.size(); i++) {
            assertEquals(line(checks.get(i), "FAIL", "did not run"), lines[2 + i]);
        }
    }

    private static String line(HardeningReport.Check check, String result, String detail) {
        String simpleName = check.testClass().substring(check.testClass().lastIndexOf('.') + 1);
        return "| " + check.label() + " | " + result + " | " + simpleName + "." + check.testMethod() + " | " + detail
                + " |";
    }
}
