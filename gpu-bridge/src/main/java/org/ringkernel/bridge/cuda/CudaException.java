package org.ringkernel.bridge.cuda;

import java.util.Set;
import jcuda.driver.CUresult;
import org.ringkernel.bridge.runtime.DeviceFaultException;

/**
 * A CUDA driver call that did not succeed, named with the call and the driver's error name, e.g.
 * {@code cuMemAlloc(268435456 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (2)}.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Errors after which the context is unusable: every later call in it fails the same way until it is reset
     * (the CUDA programming guide calls them sticky).
     */
    private static final Set<Integer> STICKY = Set.of(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
            CUresult.CUDA_ERROR_LAUNCH_FAILED, CUresult.CUDA_ERROR_ASSERT, CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR,
            CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,
            CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE, CUresult.CUDA_ERROR_INVALID_PC,
            CUresult.CUDA_ERROR_LAUNCH_TIMEOUT, CUresult.CUDA_ERROR_ECC_UNCORRECTABLE);

    /** The driver's {@code CUresult} code. */
    private final int code;

    CudaException(String operation, int code) {
        super(operation + " failed: " + CUresult.stringFor(code) + " (" + code + ")");
        this.code = code;
    }

    /** The driver's result code. */
    public int code() {
        return code;
    }

    /** The driver's name for the code, e.g. {@code CUDA_ERROR_ILLEGAL_ADDRESS}. */
    public String errorName() {
        return CUresult.stringFor(code);
    }

    /** Whether the error left the context unusable until it is reset. */
    public boolean sticky() {
        return isSticky(code);
    }

    static boolean isSticky(int code) {
        return STICKY.contains(code);
    }

    /**
     * Checks a driver call's result.
     *
     * @throws DeviceFaultException for a sticky error, with the {@link CudaException} as cause
     * @throws CudaException for any other error
     */
    public static void check(int result, String operation) {
        if (result != CUresult.CUDA_SUCCESS) {
            CudaException error = new CudaException(operation, result);
            if (error.sticky()) {
                throw new DeviceFaultException("the CUDA context failed: " + error.getMessage(), error);
            }
            throw error;
        }
    }
}
