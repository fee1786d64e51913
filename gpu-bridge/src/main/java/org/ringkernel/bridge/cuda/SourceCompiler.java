package org.ringkernel.bridge.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;
import org.ringkernel.bridge.kernel.CudaModule;

/**
 * Compiles a custom kernel's CUDA C source to PTX with NVRTC, for the device's compute capability, with the headers
 * {@link CudaIncludes} finds for it. NVRTC is a library of the CUDA toolkit that JCuda binds by its CUDA 12 name;
 * where it does not load, custom sources cannot run on CUDA and the error says so (the built-in kernels never need
 * it).
 */
final class SourceCompiler {

    private SourceCompiler() {
    }

    static byte[] toPtx(CudaModule.Source source, CudaDevice device) {
        Map<String, String> headers = CudaIncludes.quotedHeaders(source.name(), source.code(),
                SourceCompiler.class.getClassLoader());
        nvrtcProgram program = new nvrtcProgram();
        try {
            check(JNvrtc.nvrtcCreateProgram(program, source.code(), source.name(), headers.size(),
                    headers.values().toArray(String[]::new), headers.keySet().toArray(String[]::new)), source,
                    "nvrtcCreateProgram");
        } catch (LinkageError e) {
            throw new IllegalStateException("custom kernel source '" + source.name() + "' needs NVRTC to compile, "
                    + "which did not load here (" + e.getMessage() + "); ship it as a compiled image instead", e);
        }
        try {
            List<String> options = new ArrayList<>(List.of("--gpu-architecture=compute_" + device.capability(),
                    "--std=c++17"));
            options.addAll(CudaIncludes.toolkitOptions(System.getenv()));
            int compiled = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(String[]::new));
            if (compiled != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = new String[1];
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalArgumentException("custom kernel source '" + source.name() + "' does not compile ("
                        + nvrtcResult.stringFor(compiled) + "):\n" + log[0]);
            }
            String[] ptx = new String[1];
            check(JNvrtc.nvrtcGetPTX(program, ptx), source, "nvrtcGetPTX");
            return (ptx[0] + '\0').getBytes(StandardCharsets.US_ASCII);
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void check(int result, CudaModule.Source source, String call) {
        if (result != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " for custom kernel source '" + source.name() + "' failed: "
                    + nvrtcResult.stringFor(result));
        }
    }
}
