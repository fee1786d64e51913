/**
 * The Open Inference Protocol (v2, the KServe "predict v2" protocol) in terms of kernels, apart from any
 * transport: a kernel is a model, its metadata comes from its signature, a request's named tensors and
 * parameters become a {@link org.ringkernel.bridge.kernel.KernelRequest}, and every failure has the protocol's
 * status. The gRPC service and the {@code /v2} HTTP routes both speak through it.
 */
package org.ringkernel.inference;
