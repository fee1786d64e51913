package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUmodule;
import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.kernel.CudaModule;
import org.ringkernel.bridge.kernel.KernelDefinition;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BridgeSettings;

/**
 * Provides the {@link CudaBackend} where a usable CUDA device exists. The probe loads the JCuda driver
 * binding, initializes the driver, checks the configured device, checks that the driver is new enough for the
 * kernels' compiled images and loads each of them once; its answer is kept, since the driver does not change
 * under a running process. Backends it opens one after another (device restarts) share the device's primary
 * context, so it orders their context resets.
 */
public final class CudaBackendProvider implements BackendProvider {
    private final CudaDriver driver;
    private Availability probed;
    private String probedFor;
    private CudaBackend current;

    /** A provider reaching the CUDA driver itself, loaded on probe. */
    public CudaBackendProvider() {
        this(null);
    }

    /** A provider reaching the driver through {@code driver}; null for the CUDA driver itself, loaded on probe. */
    CudaBackendProvider(CudaDriver driver) {
        this.driver = driver;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public Availability probe(BridgeSettings settings) {
        return probe(settings, List.of());
    }

    @Override
    public synchronized Availability probe(BridgeSettings settings, Collection<KernelDefinition> kernels) {
        Map<String, CudaModule.Image> images = images(kernels);
        String key = settings.deviceId() + " " + images.keySet();
        if (probed == null || !key.equals(probedFor)) {
            probed = probeDevice(settings.deviceId(), images.values());
            probedFor = key;
        }
        return probed;
    }

    /**
     * Opens a backend; when it replaces one this provider opened before (a device restart), a failed
     * predecessor's context is reset first, so the new backend starts on a healthy one, and the predecessor
     * learns of its successor (see {@link CudaBackend#close()}).
     */
    @Override
    public synchronized Backend open(BridgeSettings settings) {
        CudaBackend previous = current;
        if (previous != null) {
            previous.resetIfFailed();
        }
        CudaBackend next = driver == null ? CudaBackend.open(settings, HybridLogicalClock.system())
                : CudaBackend.open(settings, HybridLogicalClock.system(), driver);
        if (previous != null) {
            previous.succeededBy(next);
        }
        current = next;
        return next;
    }

    private static Map<String, CudaModule.Image> images(Collection<KernelDefinition> kernels) {
        Map<String, CudaModule.Image> images = new LinkedHashMap<>();
        for (KernelDefinition kernel : kernels) {
            kernel.cuda().ifPresent(entry -> {
                if (entry.module() instanceof CudaModule.Image image) {
                    images.putIfAbsent(image.name(), image);
                }
            });
        }
        return images;
    }

    private Availability probeDevice(int deviceId, Collection<CudaModule.Image> images) {
        try {
            CudaDriver calls = driver == null ? new NativeCudaDriver() : driver;
            CudaDevice device = CudaDevice.open(calls, deviceId);
            String unsuitable = device.unsuitability();
            if (unsuitable == null) {
                unsuitable = driverTooOld(device, images);
            }
            if (unsuitable == null) {
                unsuitable = imageNotLoading(calls, device, images);
            }
            return unsuitable == null ? Availability.usable(device.describe() + " runs the kernels (compute "
                    + device.major() + "." + device.minor() + ", " + device.multiprocessors() + " SMs, driver CUDA "
                    + CudaDevice.cudaVersion(device.driverVersion()) + ")")
                    : Availability.unusable(unsuitable);
        } catch (CudaException e) {
            return Availability.unusable("the CUDA driver reports no usable device: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Availability.unusable(e.getMessage());
        } catch (Throwable t) {
            // JCuda reports a missing driver library with an Error from its static initializer, not an
            // Exception; any of them means the same here: no usable CUDA.
            return Availability.unusable("the CUDA driver library could not be loaded ("
                    + t.getClass().getSimpleName() + ": " + firstLine(t.getMessage()) + ")");
        }
    }

    /** Why the driver is too old for one of {@code images}, or null when it is new enough for all. */
    private static String driverTooOld(CudaDevice device, Collection<CudaModule.Image> images) {
        for (CudaModule.Image image : images) {
            if (device.driverVersion() < image.requiredDriverVersion()) {
                return "the CUDA driver implements CUDA " + CudaDevice.cudaVersion(device.driverVersion())
                        + " (version " + device.driverVersion() + "), but the kernel image " + image.name()
                        + " was built for CUDA " + CudaDevice.cudaVersion(image.requiredDriverVersion())
                        + " and needs a driver that implements it or a newer one; update the driver, or rebuild "
                        + "the image with the CUDA toolkit the driver implements (see the README)";
            }
        }
        return null;
    }

    /** Loads each image once in the device's primary context; why one does not load, or null. */
    private static String imageNotLoading(CudaDriver driver, CudaDevice device, Collection<CudaModule.Image> images) {
        if (images.isEmpty()) {
            return null;
        }
        CudaContext context = new CudaContext(driver, device);
        try {
            for (CudaModule.Image image : images) {
                byte[] bytes = image.bytes().get();
                CUmodule module = new CUmodule();
                try {
                    check(driver.cuModuleLoadData(module, bytes), "cuModuleLoadData(" + image.name() + ", "
                            + bytes.length + " bytes)");
                } catch (CudaException e) {
                    return "the kernel image " + image.name() + " does not load on this driver (CUDA "
                            + CudaDevice.cudaVersion(device.driverVersion()) + "): " + e.getMessage();
                }
                driver.cuModuleUnload(module);
            }
            return null;
        } finally {
            context.release();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
