/**
 * Tensors on the ring kernels: {@link org.ringkernel.data.tensor.NdArray}, an immutable float32 array with a
 * shape; {@link org.ringkernel.data.tensor.TensorOps}, single operations ({@code matmul}, {@code softmax},
 * {@code layer_norm}, {@code attention}) run by the kernels; and {@link org.ringkernel.data.tensor.TensorPipeline},
 * a chain of {@link org.ringkernel.data.tensor.TensorStage}s made by {@link org.ringkernel.data.tensor.Ops},
 * custom kernels included, whose shapes are checked before anything is sent.
 */
package org.ringkernel.data.tensor;
