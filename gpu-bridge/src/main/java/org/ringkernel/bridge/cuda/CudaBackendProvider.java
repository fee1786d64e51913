package org.ringkernel.bridge.cuda;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.runtime.Availability;
import org.ringkernel.bridge.runtime.Backend;
import org.ringkernel.bridge.runtime.BackendKind;
import org.ringkernel.bridge.runtime.BackendProvider;
import org.ringkernel.bridge.runtime.BackendUnavailableException;
import org.ringkernel.bridge.runtime.BridgeSettings;

/**
 * The place of the CUDA backend among the providers. Its probe is real: it loads the JCuda driver binding,
 * initializes the driver and looks for the configured device. The ring-kernel runtime over that device is
 * not in this version, so a usable device is still reported as not usable, with both facts in the reason.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final String NO_RUNTIME = "this version has no CUDA ring-kernel runtime yet";

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public Availability probe(BridgeSettings settings) {
        DeviceProbe device = findDevice(settings.deviceId());
        return Availability.unusable(device.found() ? device.description() + " was found, but " + NO_RUNTIME
                : device.description());
    }

    @Override
    public Backend open(BridgeSettings settings) {
        throw new BackendUnavailableException("backend 'cuda': " + NO_RUNTIME);
    }

    /** What the driver says of one device: its name when it exists, else why there is none. */
    private record DeviceProbe(boolean found, String description) {
    }

    private static DeviceProbe findDevice(int deviceId) {
        try {
            int init = JCudaDriver.cuInit(0);
            if (init != CUresult.CUDA_SUCCESS) {
                return new DeviceProbe(false, "the CUDA driver did not initialize (" + CUresult.stringFor(init) + ")");
            }
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (deviceId >= count[0]) {
                return new DeviceProbe(false, "ringkernel.device-id is " + deviceId + " but the driver reports "
                        + count[0] + " CUDA devices");
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, deviceId);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            return new DeviceProbe(true, "CUDA device " + deviceId + " ("
                    + new String(name, StandardCharsets.US_ASCII).trim() + ")");
        } catch (Throwable t) {
            // JCuda reports a missing driver library with an Error from its static initializer, not an
            // Exception; any of them means the same here: no usable CUDA.
            return new DeviceProbe(false, "the CUDA driver library could not be loaded ("
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
