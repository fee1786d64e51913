package org.ringkernel.bridge.runtime;

/**
 * The device failed as a whole, not one kernel's code: on CUDA a sticky error (illegal address, trap)
 * that leaves its context unusable until it is reset. A loop that meets one reports
 * {@link KernelErrorCode#DEVICE_FAULT}; the backend tells its device-fault listener, whose owner restarts
 * the device.
 */
public class DeviceFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A fault of the device, {@code message} saying which, caused by {@code cause}. */
    public DeviceFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
