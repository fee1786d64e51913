// The shared ring layout, as the device sees it.
//
// This header mirrors the layout descriptors of gpu-bridge (org.ringkernel.bridge.ring:
// ControlBlockDescriptor, RingDescriptor, RequestDescriptor, CompletionDescriptor) and the codes of the
// runtime enums (org.ringkernel.bridge.runtime: KernelState, KernelCommand, KernelErrorCode,
// CompletionStatus). The Java classes are the source of truth; RingProtocolHeaderTest parses every
// `#define RK_<GROUP>_<NAME> value` line below and fails when a constant is missing, extra or different.
// Naming: ControlBlockDescriptor.X is RK_CB_X, RingDescriptor.X is RK_RING_X, RequestDescriptor.X is
// RK_REQ_X, CompletionDescriptor.X is RK_CPL_X, KernelState.X is RK_STATE_X, KernelCommand.X is
// RK_COMMAND_X, KernelErrorCode.X is RK_ERROR_X and CompletionStatus.X is RK_STATUS_X. Keep one
// define per line with a plain decimal or hexadecimal literal, so the test can read it.
//
// Memory model. The control block, both rings and the arena live in mapped pinned host memory that
// the host and the device touch concurrently, so every publication between them is a release store
// paired with an acquire load at system scope (PTX ld.acquire.sys / st.release.sys through
// cuda::atomic_ref<T, cuda::thread_scope_system>):
//   - the host fills request records and their arena inputs, then publishes the H2K producer position
//     with release; the kernel reads that position with acquire before it reads any record;
//   - the kernel writes a request's outputs and completion record, then publishes the completion's
//     sequence stamp with release; the host reads the stamp with acquire before the record;
//   - each side releases its consumer position after it has finished reading the slots it frees, and
//     the producer acquires that position before it writes those slots again;
//   - the host releases the command and an injected fault; the kernel acquires them; the kernel writes counters and error
//     fields, then releases its state, so a host that acquires the state sees what led to it.
// Fields that only need to arrive whole and eventually (heartbeat, counters) use relaxed system-scope
// stores. Ordering between blocks of one kernel is device-scope and lives in ring_loop.cuh.

#ifndef RINGKERNEL_RING_PROTOCOL_CUH
#define RINGKERNEL_RING_PROTOCOL_CUH

#include <cuda/atomic>
#include <cuda/std/cstdint>

// ControlBlockDescriptor: host line (written once before launch), host run-time line, kernel line.
#define RK_CB_MAGIC 0x524B4342
#define RK_CB_LAYOUT_VERSION 3
#define RK_CB_MAGIC_OFFSET 0
#define RK_CB_LAYOUT_VERSION_OFFSET 4
#define RK_CB_CAPACITY_OFFSET 8
#define RK_CB_MAX_BATCH_OFFSET 12
#define RK_CB_ARENA_LENGTH_OFFSET 16
#define RK_CB_WORKER_STALL_LIMIT_OFFSET 24
#define RK_CB_HOST_LINE_OFFSET 128
#define RK_CB_COMMAND_OFFSET 128
#define RK_CB_INJECTED_FAULT_OFFSET 132
#define RK_CB_FAULT_NONE 0
#define RK_CB_FAULT_FAIL 1
#define RK_CB_FAULT_HANG 2
#define RK_CB_FAULT_STALL 3
#define RK_CB_KERNEL_LINE_OFFSET 256
#define RK_CB_STATE_OFFSET 256
#define RK_CB_ERROR_CODE_OFFSET 260
#define RK_CB_HEARTBEAT_OFFSET 264
#define RK_CB_MESSAGES_OFFSET 272
#define RK_CB_BATCHES_OFFSET 280
#define RK_CB_HLC_OFFSET 288
#define RK_CB_ERROR_DETAIL_OFFSET 296
#define RK_CB_LENGTH 384

// RingDescriptor: a 256-byte header of two positions on their own lines, then the slots.
#define RK_RING_LINE_LENGTH 128
#define RK_RING_PRODUCER_POSITION_OFFSET 0
#define RK_RING_CONSUMER_POSITION_OFFSET 128
#define RK_RING_HEADER_LENGTH 256
#define RK_RING_SEQUENCE_OFFSET 0
#define RK_RING_MAX_CAPACITY 1048576

// RequestDescriptor: one 256-byte H2K record.
#define RK_REQ_MAX_INPUTS 4
#define RK_REQ_MAX_OUTPUTS 2
#define RK_REQ_MAX_RANK 4
#define RK_REQ_MAX_PARAMS 8
#define RK_REQ_ARENA_ALIGNMENT 64
#define RK_REQ_FLAG_LAUNCH_PATH 1
#define RK_REQ_SEQUENCE_OFFSET 0
#define RK_REQ_REQUEST_ID_OFFSET 8
#define RK_REQ_HLC_OFFSET 16
#define RK_REQ_INPUT_COUNT_OFFSET 24
#define RK_REQ_OUTPUT_COUNT_OFFSET 28
#define RK_REQ_PARAM_COUNT_OFFSET 32
#define RK_REQ_FLAGS_OFFSET 36
#define RK_REQ_PARAMS_OFFSET 40
#define RK_REQ_INPUTS_OFFSET 80
#define RK_REQ_OUTPUTS_OFFSET 208
#define RK_REQ_LENGTH 256
#define RK_REQ_TENSOR_ARENA_OFFSET 0
#define RK_REQ_TENSOR_ELEMENT_COUNT_OFFSET 8
#define RK_REQ_INPUT_RANK_OFFSET 12
#define RK_REQ_INPUT_DIMS_OFFSET 16
#define RK_REQ_INPUT_LENGTH 32
#define RK_REQ_OUTPUT_LENGTH 16

// CompletionDescriptor: one 64-byte K2H record; the stamp is stored last, with release.
#define RK_CPL_SEQUENCE_OFFSET 0
#define RK_CPL_REQUEST_ID_OFFSET 8
#define RK_CPL_HLC_OFFSET 16
#define RK_CPL_STATUS_OFFSET 24
#define RK_CPL_BATCH_SIZE_OFFSET 28
#define RK_CPL_KERNEL_NANOS_OFFSET 32
#define RK_CPL_PATH_OFFSET 40
#define RK_CPL_PATH_RING 0
#define RK_CPL_PATH_LAUNCH 1
#define RK_CPL_LENGTH 64

// KernelState codes, written by the kernel into the control block's state field.
#define RK_STATE_CREATED 0
#define RK_STATE_LAUNCHED 1
#define RK_STATE_ACTIVE 2
#define RK_STATE_PAUSED 3
#define RK_STATE_TERMINATING 4
#define RK_STATE_TERMINATED 5
#define RK_STATE_FAILED 6

// KernelCommand codes, written by the host into the control block's command field.
#define RK_COMMAND_NONE 0
#define RK_COMMAND_RUN 1
#define RK_COMMAND_PAUSE 2
#define RK_COMMAND_TERMINATE 3

// KernelErrorCode codes, written with RK_STATE_FAILED.
#define RK_ERROR_NONE 0
#define RK_ERROR_KERNEL_EXCEPTION 1
#define RK_ERROR_RING_CORRUPT 2
#define RK_ERROR_LAYOUT_MISMATCH 3
#define RK_ERROR_DEVICE_FAULT 4
#define RK_ERROR_WORKER_STALLED 5

// CompletionStatus codes; the kernel writes the first three into completion records.
#define RK_STATUS_OK 0
#define RK_STATUS_INVALID_DESCRIPTOR 1
#define RK_STATUS_KERNEL_ERROR 2
#define RK_STATUS_KERNEL_FAILED 3
#define RK_STATUS_TERMINATED 4

// The running sums of the Java static initializers, restated, so an edit that breaks one of them
// fails the compile here before it reaches a device.
static_assert(RK_CB_LAYOUT_VERSION_OFFSET == RK_CB_MAGIC_OFFSET + 4, "magic is an i32");
static_assert(RK_CB_CAPACITY_OFFSET == RK_CB_LAYOUT_VERSION_OFFSET + 4, "layout version is an i32");
static_assert(RK_CB_MAX_BATCH_OFFSET == RK_CB_CAPACITY_OFFSET + 4, "capacity is an i32");
static_assert(RK_CB_ARENA_LENGTH_OFFSET == RK_CB_MAX_BATCH_OFFSET + 4, "max batch is an i32");
static_assert(RK_CB_WORKER_STALL_LIMIT_OFFSET == RK_CB_ARENA_LENGTH_OFFSET + 8, "arena length is an i64");
static_assert(RK_CB_WORKER_STALL_LIMIT_OFFSET + 8 <= RK_CB_HOST_LINE_OFFSET, "the launch fields fit the first line");
static_assert(RK_CB_HOST_LINE_OFFSET == RK_RING_LINE_LENGTH, "the host's run-time line is the second");
static_assert(RK_CB_COMMAND_OFFSET == RK_CB_HOST_LINE_OFFSET, "the command opens the host line");
static_assert(RK_CB_INJECTED_FAULT_OFFSET == RK_CB_COMMAND_OFFSET + 4, "command is an i32");
static_assert(RK_CB_KERNEL_LINE_OFFSET == 2 * RK_RING_LINE_LENGTH, "the kernel's line is the third");
static_assert(RK_CB_STATE_OFFSET == RK_CB_KERNEL_LINE_OFFSET, "the state opens the kernel line");
static_assert(RK_CB_ERROR_CODE_OFFSET == RK_CB_STATE_OFFSET + 4, "state is an i32");
static_assert(RK_CB_HEARTBEAT_OFFSET == RK_CB_ERROR_CODE_OFFSET + 4, "error code is an i32");
static_assert(RK_CB_MESSAGES_OFFSET == RK_CB_HEARTBEAT_OFFSET + 8, "heartbeat is an i64");
static_assert(RK_CB_BATCHES_OFFSET == RK_CB_MESSAGES_OFFSET + 8, "messages is an i64");
static_assert(RK_CB_HLC_OFFSET == RK_CB_BATCHES_OFFSET + 8, "batches is an i64");
static_assert(RK_CB_ERROR_DETAIL_OFFSET == RK_CB_HLC_OFFSET + 8, "the clock is an i64");
static_assert(RK_CB_ERROR_DETAIL_OFFSET + 8 <= RK_CB_LENGTH, "the kernel fields fit the third line");
static_assert(RK_CB_LENGTH == 3 * RK_RING_LINE_LENGTH, "the control block is three lines");
static_assert(RK_CB_HEARTBEAT_OFFSET % 8 == 0 && RK_CB_ERROR_DETAIL_OFFSET % 8 == 0,
              "64-bit control fields are naturally aligned for atomic access");

static_assert(RK_RING_CONSUMER_POSITION_OFFSET == RK_RING_PRODUCER_POSITION_OFFSET + RK_RING_LINE_LENGTH,
              "the positions sit a line apart");
static_assert(RK_RING_HEADER_LENGTH == RK_RING_CONSUMER_POSITION_OFFSET + RK_RING_LINE_LENGTH,
              "the header is two lines");
static_assert((RK_RING_MAX_CAPACITY & (RK_RING_MAX_CAPACITY - 1)) == 0, "capacities are powers of two");

static_assert(RK_REQ_SEQUENCE_OFFSET == RK_RING_SEQUENCE_OFFSET, "every record opens with its stamp");
static_assert(RK_REQ_REQUEST_ID_OFFSET == RK_REQ_SEQUENCE_OFFSET + 8, "the stamp is an i64");
static_assert(RK_REQ_HLC_OFFSET == RK_REQ_REQUEST_ID_OFFSET + 8, "the request id is an i64");
static_assert(RK_REQ_INPUT_COUNT_OFFSET == RK_REQ_HLC_OFFSET + 8, "the host clock is an i64");
static_assert(RK_REQ_OUTPUT_COUNT_OFFSET == RK_REQ_INPUT_COUNT_OFFSET + 4, "input count is an i32");
static_assert(RK_REQ_PARAM_COUNT_OFFSET == RK_REQ_OUTPUT_COUNT_OFFSET + 4, "output count is an i32");
static_assert(RK_REQ_FLAGS_OFFSET == RK_REQ_PARAM_COUNT_OFFSET + 4, "param count is an i32");
static_assert(RK_REQ_PARAMS_OFFSET == RK_REQ_FLAGS_OFFSET + 4, "flags is an i32");
static_assert(RK_REQ_INPUTS_OFFSET == RK_REQ_PARAMS_OFFSET + RK_REQ_MAX_PARAMS * 4 + 8,
              "params are f32, then 8 reserved bytes");
static_assert(RK_REQ_INPUT_DIMS_OFFSET == RK_REQ_INPUT_RANK_OFFSET + 4, "rank is an i32");
static_assert(RK_REQ_INPUT_LENGTH == RK_REQ_INPUT_DIMS_OFFSET + RK_REQ_MAX_RANK * 4, "dims are i32");
static_assert(RK_REQ_OUTPUTS_OFFSET == RK_REQ_INPUTS_OFFSET + RK_REQ_MAX_INPUTS * RK_REQ_INPUT_LENGTH,
              "outputs follow the inputs");
static_assert(RK_REQ_LENGTH == RK_REQ_OUTPUTS_OFFSET + RK_REQ_MAX_OUTPUTS * RK_REQ_OUTPUT_LENGTH + 16,
              "outputs, then 16 reserved bytes");
static_assert(RK_REQ_LENGTH % 64 == 0, "records are whole 64-byte lines");
static_assert(RK_REQ_INPUTS_OFFSET % 16 == 0, "the tensor table is 16-byte aligned");
static_assert(RK_REQ_ARENA_ALIGNMENT % 16 == 0, "arena tensors allow 16-byte vector loads");

static_assert(RK_CPL_SEQUENCE_OFFSET == RK_RING_SEQUENCE_OFFSET, "every record opens with its stamp");
static_assert(RK_CPL_REQUEST_ID_OFFSET == RK_CPL_SEQUENCE_OFFSET + 8, "the stamp is an i64");
static_assert(RK_CPL_HLC_OFFSET == RK_CPL_REQUEST_ID_OFFSET + 8, "the request id is an i64");
static_assert(RK_CPL_STATUS_OFFSET == RK_CPL_HLC_OFFSET + 8, "the kernel clock is an i64");
static_assert(RK_CPL_BATCH_SIZE_OFFSET == RK_CPL_STATUS_OFFSET + 4, "status is an i32");
static_assert(RK_CPL_KERNEL_NANOS_OFFSET == RK_CPL_BATCH_SIZE_OFFSET + 4, "batch size is an i32");
static_assert(RK_CPL_PATH_OFFSET == RK_CPL_KERNEL_NANOS_OFFSET + 8, "kernel nanos is an i64");
static_assert(RK_CPL_LENGTH == RK_CPL_PATH_OFFSET + 4 + 20, "path, then 20 reserved bytes");

namespace rk {

using i32 = cuda::std::int32_t;
using i64 = cuda::std::int64_t;
using u64 = cuda::std::uint64_t;

// Accessors named by the ordering they give (as SharedMemory does on the Java side): `plain` for
// fields nobody writes concurrently, `relaxed` for whole values with no ordering, `acquire` for loads
// that later accesses cannot move above, `release` for stores that earlier accesses cannot move below.
// All take the region's base and a byte offset from the constants above.

template <class T>
__device__ __forceinline__ T* field(char* base, i64 offset) {
    return reinterpret_cast<T*>(base + offset);
}

template <class T>
__device__ __forceinline__ T plain_load(const char* base, i64 offset) {
    return *reinterpret_cast<const T*>(base + offset);
}

template <class T>
__device__ __forceinline__ void plain_store(char* base, i64 offset, T value) {
    *field<T>(base, offset) = value;
}

template <class T>
__device__ __forceinline__ T acquire_sys(char* base, i64 offset) {
    return cuda::atomic_ref<T, cuda::thread_scope_system>(*field<T>(base, offset)).load(cuda::memory_order_acquire);
}

template <class T>
__device__ __forceinline__ T relaxed_load_sys(char* base, i64 offset) {
    return cuda::atomic_ref<T, cuda::thread_scope_system>(*field<T>(base, offset)).load(cuda::memory_order_relaxed);
}

template <class T>
__device__ __forceinline__ void release_sys(char* base, i64 offset, T value) {
    cuda::atomic_ref<T, cuda::thread_scope_system>(*field<T>(base, offset)).store(value, cuda::memory_order_release);
}

template <class T>
__device__ __forceinline__ void relaxed_store_sys(char* base, i64 offset, T value) {
    cuda::atomic_ref<T, cuda::thread_scope_system>(*field<T>(base, offset)).store(value, cuda::memory_order_relaxed);
}

// The device's global nanosecond timer; the same clock on every SM, so blocks can compare readings.
__device__ __forceinline__ u64 global_nanos() {
    u64 nanos;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(nanos));
    return nanos;
}

// The byte offset of a position's slot from its ring's base (RingDescriptor.slotOffset).
__device__ __forceinline__ i64 slot_offset(i64 position, i64 mask, i64 slot_length) {
    return RK_RING_HEADER_LENGTH + (position & mask) * slot_length;
}

// The stamp that marks a record written for a position (RingDescriptor.sequenceFor).
__device__ __forceinline__ i64 sequence_for(i64 position) {
    return position + 1;
}

}  // namespace rk

#endif  // RINGKERNEL_RING_PROTOCOL_CUH
