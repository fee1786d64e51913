// The persistent ring-kernel loop, shared by every rk_<id>_ring entry.
//
// An entry instantiates ring_loop<Op> for a kernel's Op, a type with
//   static __device__ bool accepts(const Call&);  // the kernel's count and shape rules
//   static __device__ void block(const Call&);    // computes one request with all threads of a block
// and runs it for as long as the instance lives.
//
// Launch: blocks of kBlockThreads (256) threads in x, a one-dimensional grid of at most as many blocks
// as can be resident at once beside every other persistent kernel and the launch path (the host keeps
// a budget of resident blocks per device): block 0 waits for every block at every batch, so a block
// that is never scheduled hangs the loop. Any other block shape reports
// FAILED with RK_ERROR_KERNEL_EXCEPTION and the block size as error detail.
//
// Kernel parameters, RingParams by value (40 bytes, five 8-byte device addresses):
//
//   offset  field
//        0  control  the control block (ControlBlockDescriptor), mapped host memory
//        8  h2k      base of the H2K ring (RingDescriptor header, then request records)
//       16  k2h      base of the K2H ring (RingDescriptor header, then completion records)
//       24  arena    base of the data arena; request offsets are relative to it
//       32  scratch  RingScratch below, in device memory, kRingScratchLength bytes, 128-byte aligned,
//                    zeroed by the host before every launch; private to the device
//
// RingScratch, how block 0 talks to the other blocks (not part of the shared layout):
//
//   offset  field                                  written by
//        0  generation (u64)                       leader: count of broadcasts, published last
//        8  broadcast.start (i64)                  leader: H2K position of the batch's first request
//       16  broadcast.mask (i64)                   leader: ring capacity - 1
//       24  broadcast.arena_length (i64)           leader: bytes in the arena
//       32  broadcast.clock (i64)                  leader: kernel HLC before the batch
//       40  broadcast.start_nanos (u64)            leader: %globaltimer when the batch was taken
//       48  broadcast.count (i32)                  leader: requests in the batch
//       52  broadcast.action (i32)                 leader: kActionBatch or kActionExit
//       56  broadcast.stall_block (i32)            leader: the block an injected STALL stops, -1 for none
//       60  broadcast.reserved (i32)
//      128  acks (u64)                             every block: broadcasts it has finished, summed
//      136  clock_max (i64)                        every block: largest completion HLC so far
//      144  failure_detail (i64)                   the block whose failure code won
//      152  failure (i32)                          every block: first error code hit, 0 for none
//      256  = kRingScratchLength
//
// One step of the loop:
//  1. The leader (block 0, thread 0) polls the command with acquire. RUN makes it ACTIVE, PAUSE
//     PAUSED, TERMINATE TERMINATING (then TERMINATED once every block has left); NONE and unknown
//     codes leave the state as it is. It writes %globaltimer to the heartbeat while it waits.
//  2. While ACTIVE it reads the H2K producer position with system-scope acquire and takes
//     min(ready, max batch, K2H space) requests, where K2H space counts the slots the host has
//     consumed (the completion of H2K position p goes to K2H position p, and a completion the host
//     has not consumed is never overwritten: with no space the leader waits).
//  3. It writes the broadcast and releases the generation (device scope). Each block's thread 0
//     acquires the generation, and request j of the batch is computed by block j % gridDim.x.
//  4. For each of its requests a block copies the record to shared memory, checks the sequence stamp
//     (position + 1; a mismatch is RK_ERROR_RING_CORRUPT with the position as detail, and no
//     completion), skips a record flagged RK_REQ_FLAG_LAUNCH_PATH (the host computes it with an
//     ordinary launch and writes its completion: each K2H slot still has one writer), validates counts and arena extents as RequestDescriptor.violation does and then
//     the kernel's shape rules (a violation completes with RK_STATUS_INVALID_DESCRIPTOR), computes,
//     writes the completion record and releases its sequence stamp at system scope.
//  5. Each block adds one to acks with device-scope release; the leader acquires acks until every
//     block has finished (or the worker stall limit passes, see Failures), then releases the H2K consumer position, releases the K2H producer
//     position (for monitoring), writes the message and batch counters, the kernel clock and the
//     heartbeat, and releases the state last.
//
// Memory ordering, beyond the host/device pairs in ring_protocol.cuh:
//  - Records and arena inputs reach a worker block through a chain: the host's release of the
//    producer position, the leader's system-scope acquire of it, the leader's device-scope release of
//    the generation, the worker's device-scope acquire of it. PTX causality order is transitive
//    across these morally strong pairs, so the worker's plain loads see what the host wrote.
//  - Outputs are written by every thread of a block; __syncthreads orders them before thread 0's
//    system-scope release of the completion stamp (the release is cumulative over what the barrier
//    made visible to thread 0), so a host that acquires the stamp sees the outputs too.
//  - A block's reads of its records happen before its ack (release), which the leader acquires
//    before it releases the H2K consumer position, so the host never refills a slot still read.
//  - The broadcast fields are written with plain stores before the generation's release, and the
//    leader writes the next broadcast only after every block has acked the last, so no block can
//    read a broadcast while it is being rewritten.
//  - Arena data changes while the kernel runs, so kernel code never reads it through the
//    non-coherent read-only path (no __ldg, no const __restrict__ pointers).
//
// Failures: a corrupt ring or a bad control block stops the loop: the leader broadcasts exit, waits
// for every block to leave, writes error detail and error code, and releases FAILED. Completions
// already stamped stand; the H2K consumer position does not move past the failed batch.
// A block that does not ack a batch within the control block's worker stall limit (never scheduled, or
// stuck in a loop) would keep the leader beating in await_acks while nothing completes. Past the
// limit the leader reports FAILED with RK_ERROR_WORKER_STALLED and the number of blocks that did not
// ack as detail, and block 0 leaves at once: it broadcasts nothing more, since a block that has not
// read the last broadcast might read one half rewritten. The other blocks wait for a broadcast until
// the host gives the kernel up with its context. A limit of 0 waits for ever. A request
// longer than the watchdog's timeout reads as a hang while block 0 computes it (the heartbeat is
// written between batches and while the leader waits): such work belongs on the launch path.

#ifndef RINGKERNEL_RING_LOOP_CUH
#define RINGKERNEL_RING_LOOP_CUH

#include "ringkernel/call.cuh"
#include "ringkernel/ring_protocol.cuh"

namespace rk {

struct RingParams {
    char* control;
    char* h2k;
    char* k2h;
    char* arena;
    char* scratch;
};

static_assert(sizeof(RingParams) == 40 && offsetof(RingParams, scratch) == 32, "RingParams layout");

constexpr i32 kActionBatch = 1;
constexpr i32 kActionExit = 2;
// Block 0's own: the loop reported a stalled worker and leaves without waiting for anyone (never broadcast).
constexpr i32 kActionLeave = 3;
constexpr i32 kNoBlock = -1;

struct Broadcast {
    i64 start;
    i64 mask;
    i64 arena_length;
    i64 clock;
    u64 start_nanos;
    i32 count;
    i32 action;
    i32 stall_block;
    i32 reserved;
};

struct RingScratch {
    u64 generation;
    Broadcast broadcast;
    char leader_line_pad[64];
    u64 acks;
    i64 clock_max;
    i64 failure_detail;
    i32 failure;
    char worker_line_pad[100];
};

constexpr i64 kRingScratchLength = 256;

static_assert(offsetof(RingScratch, broadcast) == 8 && offsetof(Broadcast, count) == 40
              && offsetof(Broadcast, stall_block) == 48 && sizeof(Broadcast) == 56, "RingScratch layout");
static_assert(offsetof(RingScratch, acks) == 128, "the blocks' fields sit on their own line");
static_assert(offsetof(RingScratch, failure) == 152 && sizeof(RingScratch) == kRingScratchLength, "RingScratch layout");
static_assert(RK_REQ_LENGTH / 8 == kWarpThreads, "one warp copies a request record, 8 bytes a lane");

// Idle waits: short enough that a lone request is taken within microseconds, long enough that an idle
// leader does not keep the PCIe link busy with position reads.
constexpr unsigned kLeaderMaxSleepNs = 2048;
constexpr unsigned kWorkerMaxSleepNs = 1024;
constexpr u64 kHeartbeatIntervalNs = 100000;

template <class T>
__device__ __forceinline__ cuda::atomic_ref<T, cuda::thread_scope_device> on_device(T& value) {
    return cuda::atomic_ref<T, cuda::thread_scope_device>(value);
}

// Exponential back-off for spin waits.
struct Backoff {
    unsigned nanos = 0;

    __device__ void pause(unsigned max_nanos) {
        nanos = nanos == 0 ? 32 : min(nanos * 2, max_nanos);
        __nanosleep(nanos);
    }
};

// What the leader keeps between steps; in shared memory, so the other threads of block 0 do not carry
// it in registers while they compute.
struct Leader {
    i64 mask;
    i64 arena_length;
    i64 next;           // the H2K position of the next request to take = the H2K consumer position
    i64 k2h_limit;      // the K2H consumer position last seen, plus capacity
    i64 messages;
    i64 batches;
    i64 clock;
    i64 failure_detail;
    i64 stall_limit;    // the worker stall limit in ns, 0 for none
    u64 generation;
    u64 acks_expected;
    u64 last_beat;
    i32 max_batch;
    i32 state;
    i32 failure;        // the error code to report on exit, RK_ERROR_NONE while healthy
};

__device__ __forceinline__ RingScratch* scratch_of(const RingParams& p) {
    return reinterpret_cast<RingScratch*>(p.scratch);
}

__device__ __forceinline__ void beat(Leader& leader, const RingParams& p, bool now_or_later) {
    u64 now = global_nanos();
    if (now_or_later || now - leader.last_beat >= kHeartbeatIntervalNs) {
        relaxed_store_sys<i64>(p.control, RK_CB_HEARTBEAT_OFFSET, static_cast<i64>(now));
        leader.last_beat = now;
    }
}

__device__ __forceinline__ void publish_state(Leader& leader, const RingParams& p, i32 state) {
    leader.state = state;
    release_sys<i32>(p.control, RK_CB_STATE_OFFSET, state);
}

__device__ __forceinline__ void enter_state(Leader& leader, const RingParams& p, i32 state) {
    if (leader.state != state) {
        publish_state(leader, p, state);
    }
}

// Error fields first, then the state that makes a host read them.
__device__ __forceinline__ void publish_failure(const RingParams& p, i32 error, i64 detail) {
    relaxed_store_sys<i64>(p.control, RK_CB_ERROR_DETAIL_OFFSET, detail);
    relaxed_store_sys<i32>(p.control, RK_CB_ERROR_CODE_OFFSET, error);
    release_sys<i32>(p.control, RK_CB_STATE_OFFSET, RK_STATE_FAILED);
}

// Reads the host's launch-time fields and the kernel's own positions; a control block this kernel
// cannot trust leaves leader.failure set, so the first broadcast is the exit.
__device__ inline void leader_start(Leader& leader, const RingParams& p) {
    leader = Leader{};
    leader.state = RK_STATE_CREATED;
    beat(leader, p, true);
    i32 magic = relaxed_load_sys<i32>(p.control, RK_CB_MAGIC_OFFSET);
    i32 version = relaxed_load_sys<i32>(p.control, RK_CB_LAYOUT_VERSION_OFFSET);
    i32 capacity = relaxed_load_sys<i32>(p.control, RK_CB_CAPACITY_OFFSET);
    i64 arena_length = relaxed_load_sys<i64>(p.control, RK_CB_ARENA_LENGTH_OFFSET);
    if (magic != RK_CB_MAGIC || version != RK_CB_LAYOUT_VERSION) {
        leader.failure = RK_ERROR_LAYOUT_MISMATCH;
        leader.failure_detail = static_cast<i64>((static_cast<u64>(static_cast<unsigned>(magic)) << 32)
                                                 | static_cast<unsigned>(version));
        return;
    }
    if (capacity < 2 || capacity > RK_RING_MAX_CAPACITY || (capacity & (capacity - 1)) != 0 || arena_length < 0) {
        leader.failure = RK_ERROR_LAYOUT_MISMATCH;
        leader.failure_detail = capacity;
        return;
    }
    leader.mask = capacity - 1;
    leader.arena_length = arena_length;
    leader.stall_limit = max(relaxed_load_sys<i64>(p.control, RK_CB_WORKER_STALL_LIMIT_OFFSET), i64{0});
    leader.max_batch = min(max(relaxed_load_sys<i32>(p.control, RK_CB_MAX_BATCH_OFFSET), 1), capacity);
    leader.next = relaxed_load_sys<i64>(p.h2k, RK_RING_CONSUMER_POSITION_OFFSET);
    leader.k2h_limit = acquire_sys<i64>(p.k2h, RK_RING_CONSUMER_POSITION_OFFSET) + capacity;
    leader.messages = relaxed_load_sys<i64>(p.control, RK_CB_MESSAGES_OFFSET);
    leader.batches = relaxed_load_sys<i64>(p.control, RK_CB_BATCHES_OFFSET);
    leader.clock = relaxed_load_sys<i64>(p.control, RK_CB_HLC_OFFSET);
    relaxed_store_sys<i32>(p.control, RK_CB_ERROR_CODE_OFFSET, RK_ERROR_NONE);
    publish_state(leader, p, RK_STATE_LAUNCHED);
}

// How many requests the next batch takes: those ready, at most max batch, and only as many as the K2H
// ring has consumed slots for. The K2H consumer position is re-read only when the last reading is too
// old to allow the batch.
__device__ inline i32 claim_batch(Leader& leader, const RingParams& p) {
    i64 ready = acquire_sys<i64>(p.h2k, RK_RING_PRODUCER_POSITION_OFFSET) - leader.next;
    if (ready <= 0) {
        return 0;
    }
    i64 wanted = min(ready, static_cast<i64>(leader.max_batch));
    if (leader.k2h_limit - leader.next < wanted) {
        leader.k2h_limit = acquire_sys<i64>(p.k2h, RK_RING_CONSUMER_POSITION_OFFSET) + leader.mask + 1;
    }
    return static_cast<i32>(max(min(wanted, leader.k2h_limit - leader.next), i64{0}));
}

__device__ inline Broadcast broadcast(Leader& leader, const RingParams& p, i32 action, i32 count,
                                      i32 stall_block = kNoBlock) {
    Broadcast b;
    b.start = leader.next;
    b.mask = leader.mask;
    b.arena_length = leader.arena_length;
    b.clock = leader.clock;
    b.start_nanos = global_nanos();
    b.count = count;
    b.action = action;
    b.stall_block = stall_block;
    b.reserved = 0;
    RingScratch* s = scratch_of(p);
    s->broadcast = b;
    leader.generation += 1;
    leader.acks_expected += gridDim.x;
    on_device(s->generation).store(leader.generation, cuda::memory_order_release);
    return b;
}

// A drill armed by the host (ControlBlockDescriptor's injected fault): FAIL traps, which fails the whole
// context as a crashing kernel does (a sticky error the host must answer with a context reset); HANG
// stops the heartbeat and never returns, as a kernel stuck in a loop does, until the context is reset;
// STALL names the block that withholds its ack of the batch (the grid's last, a worker wherever the grid
// has two blocks or more), while the leader goes on beating. Returns that block, or kNoBlock.
__device__ inline i32 act_on_injected_fault(const RingParams& p) {
    i32 fault = acquire_sys<i32>(p.control, RK_CB_INJECTED_FAULT_OFFSET);
    if (fault == RK_CB_FAULT_FAIL) {
        __trap();
    }
    if (fault == RK_CB_FAULT_HANG) {
        for (;;) {
            __nanosleep(kLeaderMaxSleepNs);
        }
    }
    return fault == RK_CB_FAULT_STALL ? static_cast<i32>(gridDim.x) - 1 : kNoBlock;
}

// A block stopped by an injected STALL: a worker spins for ever without acking, as a block stuck in a
// loop does; the leader's block (a one-block grid) only withholds its ack and goes on to wait for it.
__device__ inline void withhold_ack(bool leads) {
    while (!leads) {
        __nanosleep(kWorkerMaxSleepNs);
    }
}

// Step 1 to 3 for the leader: waits for a command and work, then publishes the next broadcast.
__device__ inline Broadcast leader_next(Leader& leader, const RingParams& p) {
    Backoff idle;
    for (;;) {
        if (leader.failure == RK_ERROR_WORKER_STALLED) {
            Broadcast leave{};
            leave.action = kActionLeave;
            return leave;
        }
        if (leader.failure != RK_ERROR_NONE) {
            return broadcast(leader, p, kActionExit, 0);
        }
        beat(leader, p, false);
        i32 command = acquire_sys<i32>(p.control, RK_CB_COMMAND_OFFSET);
        if (command == RK_COMMAND_TERMINATE) {
            enter_state(leader, p, RK_STATE_TERMINATING);
            return broadcast(leader, p, kActionExit, 0);
        }
        if (command == RK_COMMAND_PAUSE) {
            enter_state(leader, p, RK_STATE_PAUSED);
        } else if (command == RK_COMMAND_RUN) {
            enter_state(leader, p, RK_STATE_ACTIVE);
            i32 count = claim_batch(leader, p);
            if (count > 0) {
                i32 stalled = act_on_injected_fault(p);
                return broadcast(leader, p, kActionBatch, count, stalled);
            }
        }
        idle.pause(kLeaderMaxSleepNs);
    }
}

// Waits until every block has acked the last broadcast, beating meanwhile. Beating alone would make a
// stuck block look alive, so the wait is bounded by the worker stall limit: past it, false, with
// RK_ERROR_WORKER_STALLED and the number of blocks that did not ack left in the leader.
__device__ inline bool await_acks(Leader& leader, const RingParams& p) {
    RingScratch* s = scratch_of(p);
    Backoff wait;
    const u64 started = global_nanos();
    u64 acks;
    while ((acks = on_device(s->acks).load(cuda::memory_order_acquire)) < leader.acks_expected) {
        beat(leader, p, false);
        if (leader.stall_limit > 0 && global_nanos() - started > static_cast<u64>(leader.stall_limit)) {
            leader.failure = RK_ERROR_WORKER_STALLED;
            leader.failure_detail = static_cast<i64>(leader.acks_expected - acks);
            return false;
        }
        wait.pause(kWorkerMaxSleepNs);
    }
    return true;
}

// Step 5 for the leader, once its own block has acked: publishes the batch, or stops the loop.
__device__ inline void leader_finish(Leader& leader, const RingParams& p, const Broadcast& b) {
    if (!await_acks(leader, p)) {
        publish_failure(p, leader.failure, leader.failure_detail);  // block 0 leaves at its next step
        return;
    }
    RingScratch* s = scratch_of(p);
    if (b.action == kActionExit) {
        if (leader.failure != RK_ERROR_NONE) {
            publish_failure(p, leader.failure, leader.failure_detail);
        } else {
            publish_state(leader, p, RK_STATE_TERMINATED);
        }
        return;
    }
    i32 failure = on_device(s->failure).load(cuda::memory_order_relaxed);
    if (failure != RK_ERROR_NONE) {
        leader.failure = failure;
        leader.failure_detail = s->failure_detail;
        return;
    }
    leader.next += b.count;
    release_sys<i64>(p.h2k, RK_RING_CONSUMER_POSITION_OFFSET, leader.next);
    release_sys<i64>(p.k2h, RK_RING_PRODUCER_POSITION_OFFSET, leader.next);
    leader.messages += b.count;
    leader.batches += 1;
    leader.clock = max(leader.clock, on_device(s->clock_max).load(cuda::memory_order_relaxed));
    relaxed_store_sys<i64>(p.control, RK_CB_MESSAGES_OFFSET, leader.messages);
    relaxed_store_sys<i64>(p.control, RK_CB_BATCHES_OFFSET, leader.batches);
    relaxed_store_sys<i64>(p.control, RK_CB_HLC_OFFSET, leader.clock);
    beat(leader, p, true);
    publish_state(leader, p, leader.state);
}

// Step 3 for every other block's thread 0.
__device__ inline Broadcast await_broadcast(const RingParams& p, u64& seen) {
    RingScratch* s = scratch_of(p);
    Backoff wait;
    u64 generation;
    while ((generation = on_device(s->generation).load(cuda::memory_order_acquire)) == seen) {
        wait.pause(kWorkerMaxSleepNs);
    }
    seen = generation;
    return s->broadcast;
}

// The first failure of a batch wins; its detail is published by the ack that follows.
__device__ inline void report_failure(const RingParams& p, i32 error, i64 detail) {
    RingScratch* s = scratch_of(p);
    i32 none = RK_ERROR_NONE;
    if (on_device(s->failure).compare_exchange_strong(none, error, cuda::memory_order_relaxed)) {
        s->failure_detail = detail;
    }
}

// What thread 0 learned from a request record, for the whole block and for the completion.
struct Verdict {
    i64 request_id;
    i64 hlc;
    i32 status;
    i32 corrupt;
    i32 host_launched;  // RK_REQ_FLAG_LAUNCH_PATH: the host computes and completes it
    i32 reserved;
};

__device__ __forceinline__ bool extent_fits(i64 offset, i32 count, i64 arena_length) {
    return count >= 0 && offset >= 0 && offset % RK_REQ_ARENA_ALIGNMENT == 0 && offset <= arena_length
           && static_cast<i64>(count) * 4 <= arena_length - offset;
}

// Decodes a record into a Call whose pointers point into the arena; false when the record breaks a rule
// of RequestDescriptor.violation. Entries past a count are left zero.
__device__ inline bool decode_call(const char* record, const Broadcast& b, char* arena, Call& call) {
    call = Call{};
    call.input_count = plain_load<i32>(record, RK_REQ_INPUT_COUNT_OFFSET);
    call.output_count = plain_load<i32>(record, RK_REQ_OUTPUT_COUNT_OFFSET);
    call.param_count = plain_load<i32>(record, RK_REQ_PARAM_COUNT_OFFSET);
    bool fits = true;
    int inputs = min(max(call.input_count, 0), RK_REQ_MAX_INPUTS);
    for (int i = 0; i < inputs; ++i) {
        const char* entry = record + RK_REQ_INPUTS_OFFSET + i * RK_REQ_INPUT_LENGTH;
        TensorArg& t = call.inputs[i];
        i64 offset = plain_load<i64>(entry, RK_REQ_TENSOR_ARENA_OFFSET);
        t.count = plain_load<i32>(entry, RK_REQ_TENSOR_ELEMENT_COUNT_OFFSET);
        t.rank = plain_load<i32>(entry, RK_REQ_INPUT_RANK_OFFSET);
        for (int d = 0; d < RK_REQ_MAX_RANK; ++d) {
            t.dims[d] = plain_load<i32>(entry, RK_REQ_INPUT_DIMS_OFFSET + d * 4);
        }
        fits = fits && extent_fits(offset, t.count, b.arena_length);
        t.data = reinterpret_cast<float*>(arena + offset);
    }
    int outputs = min(max(call.output_count, 0), RK_REQ_MAX_OUTPUTS);
    for (int o = 0; o < outputs; ++o) {
        const char* entry = record + RK_REQ_OUTPUTS_OFFSET + o * RK_REQ_OUTPUT_LENGTH;
        OutputArg& out = call.outputs[o];
        i64 offset = plain_load<i64>(entry, RK_REQ_TENSOR_ARENA_OFFSET);
        out.count = plain_load<i32>(entry, RK_REQ_TENSOR_ELEMENT_COUNT_OFFSET);
        fits = fits && extent_fits(offset, out.count, b.arena_length);
        out.data = reinterpret_cast<float*>(arena + offset);
    }
    int params = min(max(call.param_count, 0), RK_REQ_MAX_PARAMS);
    for (int k = 0; k < params; ++k) {
        call.params[k] = plain_load<float>(record, RK_REQ_PARAMS_OFFSET + k * 4);
    }
    return fits && tensors_well_formed(call);
}

template <class Op>
__device__ inline Verdict judge(const char* record, i64 position, const Broadcast& b, char* arena, Call& call) {
    Verdict v;
    v.request_id = plain_load<i64>(record, RK_REQ_REQUEST_ID_OFFSET);
    v.hlc = plain_load<i64>(record, RK_REQ_HLC_OFFSET);
    v.corrupt = plain_load<i64>(record, RK_REQ_SEQUENCE_OFFSET) != sequence_for(position);
    v.host_launched = (plain_load<i32>(record, RK_REQ_FLAGS_OFFSET) & RK_REQ_FLAG_LAUNCH_PATH) != 0;
    bool valid = !v.corrupt && !v.host_launched && decode_call(record, b, arena, call) && Op::accepts(call);
    v.status = valid ? RK_STATUS_OK : RK_STATUS_INVALID_DESCRIPTOR;
    return v;
}

// Fields first, stamp last: the stamp's release publishes the record and the outputs before it.
__device__ inline void complete(const RingParams& p, const Broadcast& b, i64 position, const Verdict& v) {
    char* slot = p.k2h + slot_offset(position, b.mask, RK_CPL_LENGTH);
    i64 hlc = max(v.hlc, b.clock) + 1;
    plain_store<i64>(slot, RK_CPL_REQUEST_ID_OFFSET, v.request_id);
    plain_store<i64>(slot, RK_CPL_HLC_OFFSET, hlc);
    plain_store<i32>(slot, RK_CPL_STATUS_OFFSET, v.status);
    plain_store<i32>(slot, RK_CPL_BATCH_SIZE_OFFSET, b.count);
    plain_store<i64>(slot, RK_CPL_KERNEL_NANOS_OFFSET, static_cast<i64>(global_nanos() - b.start_nanos));
    plain_store<i32>(slot, RK_CPL_PATH_OFFSET, RK_CPL_PATH_RING);
    release_sys<i64>(slot, RK_CPL_SEQUENCE_OFFSET, sequence_for(position));
    on_device(scratch_of(p)->clock_max).fetch_max(hlc, cuda::memory_order_relaxed);
}

// Step 4 for one request, by every thread of the block; false when the ring is corrupt.
template <class Op>
__device__ inline bool run_request(const RingParams& p, const Broadcast& b, i64 position) {
    __shared__ alignas(16) i64 record[RK_REQ_LENGTH / 8];
    __shared__ Call call;
    __shared__ Verdict verdict;
    char* slot = p.h2k + slot_offset(position, b.mask, RK_REQ_LENGTH);
    if (threadIdx.x < kWarpThreads) {
        record[threadIdx.x] = plain_load<i64>(slot, threadIdx.x * 8);  // one coalesced read of the record
        __syncwarp();
        if (threadIdx.x == 0) {
            verdict = judge<Op>(reinterpret_cast<const char*>(record), position, b, p.arena, call);
        }
    }
    __syncthreads();
    const Verdict v = verdict;
    // Every thread has its copy before any of them returns: warp 0 rewrites `verdict` for the block's next
    // request, which may follow at once on the early returns below.
    __syncthreads();
    if (v.corrupt) {
        if (threadIdx.x == 0) {
            report_failure(p, RK_ERROR_RING_CORRUPT, position);
        }
        return false;
    }
    if (v.host_launched) {
        return true;  // the host computes this one on the launch path and writes its completion
    }
    if (v.status == RK_STATUS_OK) {
        Op::block(call);
    }
    __syncthreads();  // every output is written before thread 0 stamps the completion
    if (threadIdx.x == 0) {
        complete(p, b, position, v);
    }
    return true;
}

// A block whose shape the kernels were not written for cannot take part; the first thread says so.
__device__ inline void report_unsupported_shape(const RingParams& p) {
    if (blockIdx.x == 0 && blockIdx.y == 0 && blockIdx.z == 0 && threadIdx.x == 0 && threadIdx.y == 0
        && threadIdx.z == 0) {
        publish_failure(p, RK_ERROR_KERNEL_EXCEPTION, blockDim.x);
    }
}

template <class Op>
__device__ inline void ring_loop(const RingParams& p) {
    __shared__ Leader leader;
    __shared__ Broadcast current;
    if (!launch_shape_is_supported()) {
        report_unsupported_shape(p);
        return;
    }
    const bool leads = blockIdx.x == 0;
    if (leads && threadIdx.x == 0) {
        leader_start(leader, p);
    }
    u64 seen = 0;
    for (;;) {
        if (threadIdx.x == 0) {
            current = leads ? leader_next(leader, p) : await_broadcast(p, seen);
        }
        __syncthreads();
        const Broadcast b = current;
        __syncthreads();  // thread 0 rewrites `current` in the next step
        if (b.action == kActionLeave) {
            return;
        }
        if (b.action == kActionBatch) {
            for (i64 j = blockIdx.x; j < b.count; j += gridDim.x) {
                if (!run_request<Op>(p, b, b.start + j)) {
                    break;  // nothing after a corrupt record is trusted
                }
            }
        }
        if (threadIdx.x == 0) {
            if (static_cast<i32>(blockIdx.x) == b.stall_block) {
                withhold_ack(leads);
            } else {
                on_device(scratch_of(p)->acks).fetch_add(1, cuda::memory_order_release);
            }
            if (leads) {
                leader_finish(leader, p, b);
            }
        }
        if (b.action == kActionExit) {
            return;
        }
    }
}

}  // namespace rk

#endif  // RINGKERNEL_RING_LOOP_CUH
