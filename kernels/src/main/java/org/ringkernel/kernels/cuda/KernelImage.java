package org.ringkernel.kernels.cuda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.ringkernel.bridge.kernel.CudaModule;

/**
 * The compiled CUDA image of the built-in kernels, as shipped on the classpath: one fatbin with SASS for
 * sm_90 and PTX for compute_75, exporting {@code rk_<id>_ring} and {@code rk_<id>_launch} for every built-in
 * kernel, together with the record of what it was built from.
 *
 * <p>{@code scripts/build-kernels.sh} writes both resources from {@code src/main/cuda}. The record is a
 * properties file holding the SHA-256 of the sources ({@link #sourceHash(Path)} defines it), the SHA-256 of
 * the image, and the nvcc release and flags, so a test can tell when the sources moved on without the image.
 */
public final class KernelImage {
    /** Where the fatbin lies on the classpath. */
    public static final String RESOURCE = "/org/ringkernel/kernels/cuda/ringkernels.fatbin";
    /** Where its build record lies on the classpath. */
    public static final String RECORD_RESOURCE = RESOURCE + ".sha256";

    private static final String SOURCE_HASH = "source.sha256";
    private static final String FATBIN_HASH = "fatbin.sha256";
    private static final String NVCC_VERSION = "nvcc.version";
    private static final String NVCC_FLAGS = "nvcc.flags";

    /** The image as the CUDA backend loads it: read and verified when a context first needs it. */
    public static final CudaModule MODULE = new CudaModule.Image("ringkernels.fatbin", () -> load().fatbin(),
            driverVersionFor(readRecord().getProperty(NVCC_VERSION, "")));

    private final byte[] fatbin;
    private final String sourceHash;
    private final String nvccVersion;
    private final String nvccFlags;

    private KernelImage(byte[] fatbin, String sourceHash, String nvccVersion, String nvccFlags) {
        this.fatbin = fatbin;
        this.sourceHash = sourceHash;
        this.nvccVersion = nvccVersion;
        this.nvccFlags = nvccFlags;
    }

    /**
     * Reads the shipped image and its record from the classpath.
     *
     * @throws IllegalStateException when either resource is missing, the record lacks a field, or the image's
     *     bytes are not the ones the record describes
     */
    public static KernelImage load() {
        byte[] fatbin = readResource(RESOURCE);
        Properties record = readRecord();
        // A fatbin replaced by hand would otherwise pass as the image the record describes.
        String recorded = required(record, FATBIN_HASH);
        String actual = sha256(fatbin);
        if (!recorded.equals(actual)) {
            throw new IllegalStateException(RESOURCE + " has SHA-256 " + actual + " but its record says " + recorded
                    + "; run scripts/build-kernels.sh to rebuild both");
        }
        return new KernelImage(fatbin, required(record, SOURCE_HASH), required(record, NVCC_VERSION),
                required(record, NVCC_FLAGS));
    }

    /** The fatbin's bytes, a fresh copy each call, ready for {@code cuModuleLoadFatBinary}. */
    public byte[] fatbin() {
        return fatbin.clone();
    }

    /** The fatbin's length in bytes. */
    public int size() {
        return fatbin.length;
    }

    /** The SHA-256 (lower-case hex) of the sources the image was built from, as {@link #sourceHash(Path)} computes it. */
    public String sourceHash() {
        return sourceHash;
    }

    /** The release of the nvcc that built the image, e.g. {@code 13.0.88}. */
    public String nvccVersion() {
        return nvccVersion;
    }

    /** The flags the image was built with, as passed to nvcc. */
    public String nvccFlags() {
        return nvccFlags;
    }

    /**
     * The SHA-256 of a CUDA sources folder, in lower-case hex, exactly as {@code scripts/build-kernels.sh}
     * computes it: every regular file under {@code sources} (symbolic links are not followed), in the unsigned
     * byte order of its UTF-8 path relative to {@code sources} with {@code /} between names, each fed to the
     * hash as that path, one NUL byte, the file's bytes, one NUL byte.
     */
    public static String sourceHash(Path sources) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).collect(Collectors.toList());
        }
        // Byte order of the UTF-8 path, as `LC_ALL=C sort` orders them in the script.
        Comparator<byte[]> byteOrder = Arrays::compareUnsigned;
        List<Path> ordered = files.stream()
                .sorted(Comparator.comparing(file -> relativeName(sources, file), byteOrder))
                .collect(Collectors.toList());
        MessageDigest digest = sha256();
        for (Path file : ordered) {
            digest.update(relativeName(sources, file));
            digest.update((byte) 0);
            digest.update(Files.readAllBytes(file));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] relativeName(Path root, Path file) {
        String name = StreamSupport.stream(root.relativize(file).spliterator(), false)
                .map(Path::toString)
                .collect(Collectors.joining("/"));
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = KernelImage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath; run scripts/build-kernels.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Properties readRecord() {
        Properties record = new Properties();
        try {
            record.load(new ByteArrayInputStream(readResource(RECORD_RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RECORD_RESOURCE, e);
        }
        return record;
    }

    /**
     * The driver an image built by nvcc release {@code nvccVersion} (e.g. {@code 13.0.88}) needs, as
     * {@code cuDriverGetVersion} counts: the toolkit's major and minor release ({@code 13000}), since its PTX
     * ISA is that release's and its cubins need that release's driver branch; 0 when the release is unreadable.
     */
    static int driverVersionFor(String nvccVersion) {
        String[] parts = nvccVersion.split("\\.");
        try {
            return parts.length < 2 ? 0 : Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]) * 10;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String required(Properties record, String key) {
        String value = record.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RECORD_RESOURCE + " has no '" + key + "'; run scripts/build-kernels.sh");
        }
        return value.trim();
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's javadoc), so this is a broken runtime.
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }
}
