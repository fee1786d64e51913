package org.ringkernel.bridge.cuda;

import org.ringkernel.bridge.clock.HybridLogicalClock;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BridgeSettings;

/**
 * Provides the {@link CudaBackend} where a usable CUDA device exists. The probe loads the JCuda driver
 * binding, initializes the driver and checks the configured device; its answer is kept, since the driver
 * does not change under a running process. Backends it opens one after another (device restarts) share the
 * device's primary context, so it orders their context resets.
 */
public final class CudaBackendProvider implements BackendProvider {
    private Availability probed;
    private int probedDevice = -1;
    private CudaBackend current;

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public synchronized Availability probe(BridgeSettings settings) {
        if (probed == null || probedDevice != settings.deviceId()) {
            probed = probeDevice(settings.deviceId());
            probedDevice = settings.deviceId();
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
        CudaBackend next = CudaBackend.open(settings, HybridLogicalClock.system());
        if (previous != null) {
            previous.succeededBy(next);
        }
        current = next;
        return next;
    }

    private static Availability probeDevice(int deviceId) {
        try {
            CudaDevice device = CudaDevice.open(deviceId);
            String unsuitable = device.unsuitability();
            return unsuitable == null ? Availability.usable(device.describe() + " runs the kernels (compute "
                    + device.major() + "." + device.minor() + ", " + device.multiprocessors() + " SMs)")
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

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
