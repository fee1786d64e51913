package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUcontext;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.ringkernel.bridge.kernel.CudaModule;

/**
 * The device's primary context, retained for one backend, and the modules loaded into it. Every thread that
 * calls the driver makes the context current first ({@link #enter()}).
 */
final class CudaContext {
    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final LoadedModules<CUmodule, CUfunction> loaded = new LoadedModules<>();

    CudaContext(CudaDevice device) {
        this.device = device;
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device.handle()), "cuDevicePrimaryCtxRetain");
        enter();
    }

    CudaDevice device() {
        return device;
    }

    /** Makes the context current on the calling thread. */
    void enter() {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /**
     * The function {@code entry} of {@code module}, loading the module on first use.
     *
     * @throws CudaException when the module does not load or lacks the entry, naming both
     */
    CUfunction function(CudaModule module, String entry) {
        return loaded.function(module.name(), entry, name -> load(module), (cuModule, name) -> {
            CUfunction function = new CUfunction();
            check(JCudaDriver.cuModuleGetFunction(function, cuModule, name),
                    "cuModuleGetFunction(" + module.name() + ", " + name + ")");
            return function;
        });
    }

    private CUmodule load(CudaModule module) {
        enter();
        byte[] image = module instanceof CudaModule.Image compiled ? compiled.bytes().get()
                : SourceCompiler.toPtx((CudaModule.Source) module, device);
        CUmodule loaded = new CUmodule();
        check(JCudaDriver.cuModuleLoadData(loaded, image), "cuModuleLoadData(" + module.name() + ", "
                + image.length + " bytes)");
        return loaded;
    }

    /**
     * Destroys everything the context holds, on every backend that shares it: what a sticky error or a kernel
     * that would not stop leaves no other way out of.
     */
    void reset() {
        loaded.clear(() -> check(JCudaDriver.cuDevicePrimaryCtxReset(device.handle()), "cuDevicePrimaryCtxReset"));
    }

    /** Gives the context back; the driver destroys it when its last user does. */
    void release() {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device.handle()), "cuDevicePrimaryCtxRelease");
    }
}
