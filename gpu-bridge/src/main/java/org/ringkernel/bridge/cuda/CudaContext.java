package org.ringkernel.bridge.cuda;

import static org.ringkernel.bridge.cuda.CudaException.check;

import jcuda.driver.CUcontext;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import org.ringkernel.bridge.kernel.CudaModule;

/**
 * The device's primary context, retained for one backend, and the modules loaded into it. Every thread that
 * calls the driver makes the context current first ({@link #enter()}).
 *
 * <p>Loading is eager: a function is looked up, forced to load (an attribute read, which loads it where the
 * driver loads lazily) and measured for occupancy at once, so that using it later needs no driver call. A lazy
 * load beside a running persistent kernel may wait for the device to go idle, which it never does.
 */
final class CudaContext {
    private final CudaDriver driver;
    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final LoadedModules<CUmodule, LoadedFunction> loaded = new LoadedModules<>();

    CudaContext(CudaDriver driver, CudaDevice device) {
        this.driver = driver;
        this.device = device;
        check(driver.cuDevicePrimaryCtxRetain(context, device.handle()), "cuDevicePrimaryCtxRetain");
        enter();
    }

    CudaDriver driver() {
        return driver;
    }

    CudaDevice device() {
        return device;
    }

    /** Makes the context current on the calling thread. */
    void enter() {
        check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** Whether {@code entry} of {@code module} is loaded already, so that using it calls no driver function. */
    boolean isLoaded(CudaModule module, String entry) {
        return loaded.has(module.name(), entry);
    }

    /**
     * The function {@code entry} of {@code module}, loading the module and the function on first use.
     *
     * @throws CudaException when the module does not load or lacks the entry, naming both
     */
    LoadedFunction function(CudaModule module, String entry) {
        return loaded.function(module.name(), entry, name -> load(module), (cuModule, name) -> {
            CUfunction function = new CUfunction();
            String what = "(" + module.name() + ", " + name + ")";
            check(driver.cuModuleGetFunction(function, cuModule, name), "cuModuleGetFunction" + what);
            int[] value = new int[1];
            check(driver.cuFuncGetAttribute(value, CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS, function),
                    "cuFuncGetAttribute" + what);
            check(driver.cuOccupancyMaxActiveBlocksPerMultiprocessor(value, function, CudaBackend.KERNEL_BLOCK, 0),
                    "cuOccupancyMaxActiveBlocksPerMultiprocessor" + what);
            return new LoadedFunction(function, value[0]);
        });
    }

    private CUmodule load(CudaModule module) {
        enter();
        byte[] image = module instanceof CudaModule.Image compiled ? compiled.bytes().get()
                : SourceCompiler.toPtx((CudaModule.Source) module, device);
        CUmodule loaded = new CUmodule();
        check(driver.cuModuleLoadData(loaded, image), "cuModuleLoadData(" + module.name() + ", "
                + image.length + " bytes)");
        return loaded;
    }

    /**
     * Destroys everything the context holds, on every backend that shares it: what a sticky error or a kernel
     * that would not stop leaves no other way out of.
     */
    void reset() {
        loaded.clear(() -> check(driver.cuDevicePrimaryCtxReset(device.handle()), "cuDevicePrimaryCtxReset"));
    }

    /** Gives the context back; the driver destroys it when its last user does. */
    void release() {
        check(driver.cuDevicePrimaryCtxRelease(device.handle()), "cuDevicePrimaryCtxRelease");
    }
}
