#!/usr/bin/env bash
# Prepares the GPU check: a bundle that runs the CUDA tests and the GPU measurement table on a machine that
# has a CUDA driver but no Java, no Maven and no network.
#
#   scripts/gpu-check.sh [MAVEN_OPTION...]   builds, fills .bundle/gpu-check/ and prints the one command to
#                                            run on the GPU machine; options go to every mvn call (e.g. -o)
#
# Then, on the GPU machine, from the repository root:
#
#   .bundle/gpu-check/run.sh
#
# run.sh runs the tests tagged "cuda" of gpu-bridge and kernels with the JUnit console launcher (each module's
# tests in its own folder, as Maven runs them; reports in ${OUT:-.}/junit/<module>), prints one pass/fail
# line per CUDA hardening check from those reports (HardeningReport, also written to ${OUT:-.}/hardening.md),
# then runs GpuCheck, which prints the measurement table and writes it to ${OUT:-.}/gpu-check.md. All run on
# the bundle's own Java runtime; run.sh exits non-zero when any failed.
#
# The bundle (at most 60 MiB; the script measures it and fails above):
#   java/                          a Java runtime cut down by jlink to the modules jdeps finds in the jars
#   ringkernel-selfcheck.jar       the kernels, the device runtime and their dependencies, GpuCheck among them
#   junit-platform-console-standalone-<version>.jar
#   tests/<module>-tests.jar       the test classes of gpu-bridge and kernels
#   tests/lib/                     test dependencies that neither the jar above nor the launcher carries
#   run.sh                         the one command
#
# Needs JDK 17 (java, jlink, jdeps, jar) and Maven; the first run downloads the JUnit console launcher.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bundle=.bundle/gpu-check
limit=$((60 * 1024 * 1024))
modules=(gpu-bridge kernels)
mvn_options=("$@")

# JUnit 5.x.y ships its platform, the console launcher among it, as 1.x.y; pom.xml's junit.version is the BOM.
junit_version="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)"
if [[ ! "$junit_version" =~ ^5\.[0-9]+\.[0-9]+$ ]]; then
    echo "pom.xml's junit.version is '$junit_version'; expected a JUnit 5 release such as 5.14.4" >&2
    exit 1
fi
platform_version="1.${junit_version#5.}"
launcher="junit-platform-console-standalone-$platform_version.jar"

for tool in java jlink jdeps jar mvn; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is not on PATH; preparing the GPU check needs JDK 17 (java, jlink, jdeps, jar) and Maven" >&2
        exit 1
    fi
done

rm -rf "$bundle"
mkdir -p "$bundle/tests/lib"

echo "building (mvn -B -q -DskipTests package, test classes included) and gathering test dependencies" >&2
# Test dependencies of test scope only: what modules use at run time is in the shaded jar already. JUnit is in
# the launcher, and logback (a test dependency of gpu-bridge) is in the shaded jar: duplicates would make SLF4J
# warn about two providers.
mvn -B -q ${mvn_options[@]+"${mvn_options[@]}"} -DskipTests -pl kernels -am package dependency:copy-dependencies \
    -DexcludeScope=runtime \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,ch.qos.logback \
    -DoutputDirectory="$root/$bundle/tests/lib"
mvn -B -q ${mvn_options[@]+"${mvn_options[@]}"} -N dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
    -DoutputDirectory="$root/$bundle"

cp kernels/target/ringkernel-selfcheck.jar "$bundle/"
for module in "${modules[@]}"; do
    jar --create --file "$bundle/tests/$module-tests.jar" -C "$module/target/test-classes" .
done

jars=("$bundle/ringkernel-selfcheck.jar" "$bundle/$launcher" "$bundle"/tests/*.jar)
shopt -s nullglob
jars+=("$bundle"/tests/lib/*.jar)
shopt -u nullglob
# jdk.zipfs: the launcher scans the test jars through a zip file system, a provider jdeps cannot see.
java_modules="$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps "${jars[@]}"),jdk.zipfs"
echo "linking a Java runtime with $java_modules" >&2
jlink --add-modules "$java_modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$bundle/java"

cat >"$bundle/run.sh" <<'EOF'
#!/usr/bin/env bash
# The GPU check as scripts/gpu-check.sh bundled it: the CUDA tests of every module in tests/, one line per
# CUDA hardening check (HardeningReport), then the measurement table (GpuCheck), all on the bundle's own Java
# runtime. Needs only a CUDA driver. From the repository root:
#
#   .bundle/gpu-check/run.sh
#
# Test reports go to $OUT/junit/<module>, the hardening lines to $OUT/hardening.md and the table to
# $OUT/gpu-check.md; without OUT, all of them under the repository root. Exits with the worst status of the
# runs (0 when all passed).
set -uo pipefail  # not -e: the measurement runs even when a test fails
shopt -s nullglob

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
java="$here/java/bin/java"
launcher=("$here"/junit-platform-console-standalone-*.jar)
if [[ -n "${OUT:-}" ]]; then
    mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
fi
results="${OUT:-$root}"
classpath="$(printf '%s:' "$here"/tests/*.jar "$here"/tests/lib/*.jar "$here/ringkernel-selfcheck.jar")"
status=0

# The tests run with the driver loading lazily, its default since CUDA 12.2 and the worst case: the backend
# must load every kernel itself before its first persistent launch, and the eager-loading row shows that it does.
for tests in "$here"/tests/*-tests.jar; do
    module="$(basename "$tests" -tests.jar)"
    echo "== CUDA tests of $module"
    # Maven runs a module's tests in the module's folder, and some read files relative to it.
    # The summary and every failure in full go to the console; the reports list each test.
    (cd "$root/$module" && CUDA_MODULE_LOADING=LAZY "$java" -jar "${launcher[0]}" execute --disable-banner \
        --disable-ansi-colors --details=summary --class-path "${classpath%:}" --scan-class-path "$tests" \
        --include-tag cuda --reports-dir "$results/junit/$module")
    rc=$?
    status=$(( rc > status ? rc : status ))
done

echo "== CUDA hardening checks"
"$java" -cp "$here/ringkernel-selfcheck.jar" org.ringkernel.kernels.gpucheck.HardeningReport "$results/junit" "$results"
rc=$?
status=$(( rc > status ? rc : status ))

echo "== GPU check"
# What the project launches loads eagerly (bin/ringkernel-server sets the same).
CUDA_MODULE_LOADING=EAGER "$java" -cp "$here/ringkernel-selfcheck.jar" org.ringkernel.kernels.gpucheck.GpuCheck \
    --out "$results"
rc=$?
exit $(( rc > status ? rc : status ))
EOF
chmod +x "$bundle/run.sh"

size="$(du -sb "$bundle" | cut -f1)"
if (( size > limit )); then
    echo "$bundle holds $size bytes, more than the $limit (60 MiB) a GPU check bundle may take:" >&2
    du -sb "$bundle"/* >&2
    exit 1
fi
echo "$bundle: $size bytes ($(( size * 100 / limit ))% of 60 MiB)" >&2
echo "On the GPU machine (CUDA driver only), from the repository root, run:"
echo
echo "    $bundle/run.sh"
