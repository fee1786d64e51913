package org.ringkernel.actors.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelCommand;
import org.ringkernel.actors.KernelRef;
import org.ringkernel.actors.KernelRequestException;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.actors.KernelUnavailableException;
import org.ringkernel.actors.RequestTimeoutException;
import org.ringkernel.actors.RequestTrace;
import org.ringkernel.actors.TaggedResult;
import org.ringkernel.actors.TaggedResults;
import org.ringkernel.bridge.kernel.KernelRequest;
import scala.runtime.BoxedUnit;

/**
 * The stage behind {@link KernelFlows}: hands a kernel's actor the elements it gathered in one
 * {@link KernelCommand.ProcessBatch} and takes the answers back, in {@link TaggedResults} groups, through its stage
 * actor; no ask and no future per element.
 *
 * <p>It holds at most {@code parallelism} elements, from when it takes one from upstream until its result goes
 * downstream (gathered, in the kernel, or waiting for downstream), and pulls only below that. Batching is
 * opportunistic: with nothing of its own in the kernel an element goes at once; otherwise elements gather until
 * answers come back, upstream finishes, no further element may be taken, or {@link #MAX_GATHER} passed, and then go
 * together. Each request sent is
 * tagged with its number in the stream, so an answer finds its elements whatever order the kernel answers in.
 *
 * <p>For a row-wise kernel the small elements of one send that agree in shape and params are stacked into one
 * request ({@link RowStacking}), and each takes its rows of the answer back: the kernel and its actor handle one
 * request for many elements. An element of a stack the kernel rejected as invalid is sent again alone, so it gets
 * the error that names it; every other error of a stack is each element's error.
 *
 * <p>The kernel answers every request once, a timeout included, so an element still unanswered
 * {@link KernelRef#ASK_MARGIN} after its deadline means the actor stopped: the element comes
 * out as a {@link RequestTimeoutException} that says so, and an answer arriving later is ignored. One timer covers
 * every element in the kernel: batches are sent with the same timeout, so their deadlines come in sending order.
 *
 * <p>Once the actor system shuts down, or the actor the batches go to has stopped (it is watched), elements are
 * answered at once with a {@link KernelUnavailableException}, as {@link KernelRef#process} answers its requests
 * then, instead of waiting out their deadlines: those in the kernel when its actor stopped, and every later one.
 */
final class KernelBatchStage extends GraphStage<FlowShape<KernelRequest, KernelResult>> {
    private static final Object DEADLINE_TIMER = "deadline";
    private static final Object GATHER_TIMER = "gather";
    /**
     * The longest requests gather in the flow while its earlier ones are in the kernel (the scheduler's tick rounds it
     * up): a kernel slow to answer, or one with other instances idle, gets them soon all the same.
     */
    private static final Duration MAX_GATHER = Duration.ofMillis(1);

    private final Inlet<KernelRequest> in = Inlet.create("KernelBatchStage.in");
    private final Outlet<KernelResult> out = Outlet.create("KernelBatchStage.out");
    private final FlowShape<KernelRequest, KernelResult> shape = FlowShape.of(in, out);
    private final ActorRef<KernelCommand> kernel;
    private final String kernelId;
    private final int parallelism;
    private final Duration timeout;
    private final boolean ordered;
    private final ErrorHandling errors;
    private final Supplier<Optional<? extends KernelRequestException>> refusal;
    private final boolean rowwise;

    /**
     * @param kernel where the batches go: a kernel's actor, its supervisor, or the cluster's router
     * @param kernelId the kernel's id, for the errors the stage makes itself
     * @param parallelism the most elements held at once
     * @param timeout each request's deadline
     * @param ordered whether results leave in request order, or as they arrive
     * @param errors whether a failed result is an element or fails the stream
     * @param refusal what every element is answered at once while the system shuts down; empty while it runs
     * @param rowwise whether the kernel is row-wise, so small elements may be stacked into one request
     */
    KernelBatchStage(ActorRef<KernelCommand> kernel, String kernelId, int parallelism, Duration timeout,
                     boolean ordered, ErrorHandling errors, Supplier<Optional<? extends KernelRequestException>> refusal,
                     boolean rowwise) {
        this.kernel = kernel;
        this.kernelId = kernelId;
        this.parallelism = parallelism;
        this.timeout = timeout;
        this.ordered = ordered;
        this.errors = errors;
        this.refusal = refusal;
        this.rowwise = rowwise;
    }

    @Override
    public FlowShape<KernelRequest, KernelResult> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    /** One element from when it is taken from upstream until its result goes downstream. */
    private static final class Element {
        final KernelRequest request;
        KernelResult result;
        /** Set once a stack holding it was rejected as invalid: it goes alone from then on. */
        boolean alone;

        Element(KernelRequest request) {
            this.request = request;
        }
    }

    /** One request sent to the kernel: an element's own, or a stack of several elements' requests. */
    private static final class Unit {
        final long tag;
        final List<Element> elements;
        /** The elements' requests, in their order: what was stacked, and what the answer is cut back into. */
        final List<KernelRequest> requests;
        final Sent sent;

        Unit(long tag, List<Element> elements, Sent sent) {
            this.tag = tag;
            this.elements = elements;
            this.requests = elements.stream().map(element -> element.request).toList();
            this.sent = sent;
        }

        /** What goes to the kernel: the element's own request, or the stack of them all. */
        KernelRequest request() {
            return requests.size() == 1 ? requests.get(0) : RowStacking.stack(requests);
        }
    }

    /** The requests of one batch sent to the kernel, and when the last chance of their answers passes. */
    private static final class Sent {
        final List<Unit> units = new ArrayList<>();
        final long deadlineNanos;
        int unanswered;

        Sent(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final class Logic extends TimerGraphStageLogic {
        private final Duration giveUpAfter = timeout.plus(KernelRef.ASK_MARGIN);
        /** Sent and not answered, by tag. */
        private final Map<Long, Unit> awaiting = new HashMap<>();
        /** Batches sent, oldest first, for the deadline timer; answered ones leave from the front. */
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        /** Ordered: every held element in request order. Unordered: answered elements in order of arrival. */
        private final ArrayDeque<Element> queue = new ArrayDeque<>();
        private List<Element> gathered = new ArrayList<>();
        private ActorRef<TaggedResults> self;
        /** Set once the kernel's actor stopped: what every element still unanswered, and every later one, gets. */
        private KernelRequestException gone;
        private long nextTag;
        private int held;
        /** Whether the timers are armed: kept here, as asking the stage logic costs a map lookup per element. */
        private boolean gatherArmed;
        private boolean deadlineArmed;
        /** Whether {@link #sendNow} is on its way, so one send covers what gathers until it arrives. */
        private boolean sendQueued;
        private AsyncCallback<BoxedUnit> sendNow;

        Logic() {
            super(shape);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onElement(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    if (held == 0) {
                        completeStage();
                    } else {
                        send();
                    }
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    emit();
                }
            });
        }

        @Override
        public void preStart() {
            StageActor stageActor = getStageActor(message -> {
                onMessage(message._2());
                return BoxedUnit.UNIT;
            });
            stageActor.watch(Adapter.toClassic(kernel));
            self = Adapter.toTyped(stageActor.ref());
            sendNow = createAsyncCallback(unit -> {
                sendQueued = false;
                send();
            });
            pull(in);
        }

        private void onElement(KernelRequest request) {
            Element element = new Element(request);
            held++;
            gathered.add(element);
            if (ordered) {
                queue.addLast(element);
            }
            if (held >= parallelism) {
                send();
            } else if (awaiting.isEmpty()) {
                sendSoon();
            } else if (!gatherArmed) {
                // Armed once per gathering at most: one armed for an earlier one only sends a little early.
                gatherArmed = true;
                scheduleOnce(GATHER_TIMER, MAX_GATHER);
            }
            pullIfRoom();
        }

        private void onMessage(Object message) {
            if (message instanceof Terminated) {
                kernelStopped();
                return;
            }
            if (!(message instanceof TaggedResults answers)) {
                failStage(new IllegalStateException("the flow in front of kernel '" + kernelId
                        + "' got a message it does not take: " + message));
                return;
            }
            for (TaggedResult answer : answers.results()) {
                Unit unit = awaiting.remove(answer.tag());
                // Absent: answered already by the stage's own timeout, so this answer came too late.
                if (unit != null) {
                    unit.sent.unanswered--;
                    settle(unit, answer.result());
                }
            }
            dropAnsweredBatches();
            emit();
            sendSoon();
        }

        /**
         * Sends what gathered once the stage has handled what is at hand: the elements upstream hands over in the
         * same run (a fused upstream pushes the next as soon as it is pulled) join the batch instead of the first
         * going alone and the rest waiting for its answer.
         */
        private void sendSoon() {
            if (!sendQueued && !gathered.isEmpty()) {
                sendQueued = true;
                sendNow.invoke(BoxedUnit.UNIT);
            }
        }

        /** Hands the kernel's answer to {@code unit} to its elements; see the class comment for stacks. */
        private void settle(Unit unit, KernelResult result) {
            List<Element> elements = unit.elements;
            if (elements.size() == 1) {
                answered(elements.get(0), result);
            } else if (result.ok()) {
                List<KernelResult> results = RowStacking.unstack(unit.requests, result);
                for (int i = 0; i < elements.size(); i++) {
                    answered(elements.get(i), results.get(i));
                }
            } else if (result.error().get().code() == ErrorCode.INVALID_INPUT) {
                for (Element element : elements) {
                    element.alone = true;
                    gathered.add(element);
                }
            } else {
                answerAll(elements, result.error().get());
            }
        }

        private void answerAll(List<Element> elements, KernelRequestException error) {
            for (Element element : elements) {
                answered(element, KernelResult.failed(kernelId, element.request, error));
            }
        }

        private void answered(Element element, KernelResult result) {
            element.result = result;
            if (!ordered) {
                queue.addLast(element);
            }
        }

        /**
         * Every element in the kernel is answered with what a request gets once the system shuts down, or else with
         * the news that the actor stopped; the answers it sent before it stopped came before this.
         */
        private void kernelStopped() {
            gone = refusal.get().<KernelRequestException>map(e -> e).orElseGet(() -> new KernelUnavailableException(
                    kernelId, "kernel '" + kernelId + "' cannot answer: its actor stopped"));
            for (Unit unit : awaiting.values()) {
                answerAll(unit.elements, gone);
            }
            awaiting.clear();
            sent.clear();
            deadlineArmed = false;
            cancelTimer(DEADLINE_TIMER);
            send();
            emit();
        }

        /** Sends what has gathered, in one message; refused at once while the system shuts down or the actor is gone. */
        private void send() {
            if (gathered.isEmpty()) {
                return;
            }
            List<Element> batch = gathered;
            gathered = new ArrayList<>();
            Optional<? extends KernelRequestException> refused = gone != null ? Optional.of(gone) : refusal.get();
            if (refused.isPresent()) {
                answerAll(batch, refused.get());
                emit();
                return;
            }
            Sent group = new Sent(System.nanoTime() + giveUpAfter.toNanos());
            long firstTag = nextTag;
            List<KernelRequest> requests = new ArrayList<>();
            for (List<Element> elements : units(batch)) {
                Unit unit = new Unit(nextTag++, elements, group);
                group.units.add(unit);
                awaiting.put(unit.tag, unit);
                requests.add(unit.request());
            }
            group.unanswered = group.units.size();
            sent.addLast(group);
            if (!deadlineArmed) {
                deadlineArmed = true;
                scheduleOnce(DEADLINE_TIMER, giveUpAfter);
            }
            kernel.tell(new KernelCommand.ProcessBatch(requests, timeout, firstTag, self, RequestTrace.NONE));
        }

        /**
         * The requests {@code batch} goes as, in order: runs of elements that stack ({@link RowStacking}) where the
         * kernel is row-wise, each element alone otherwise.
         */
        private List<List<Element>> units(List<Element> batch) {
            List<List<Element>> units = new ArrayList<>();
            List<Element> open = null;
            int openFloats = 0;
            for (Element element : batch) {
                int floats = rowwise && !element.alone ? RowStacking.stackableFloats(element.request) : -1;
                if (floats >= 0 && open != null && openFloats + floats <= RowStacking.MAX_STACK_FLOATS
                        && RowStacking.stacksOnto(open.get(0).request, element.request)) {
                    open.add(element);
                    openFloats += floats;
                    continue;
                }
                List<Element> unit = new ArrayList<>();
                unit.add(element);
                units.add(unit);
                open = floats >= 0 ? unit : null;
                openFloats = Math.max(floats, 0);
            }
            return units;
        }

        private void dropAnsweredBatches() {
            while (!sent.isEmpty() && sent.peekFirst().unanswered == 0) {
                sent.pollFirst();
            }
        }

        @Override
        public void onTimer(Object key) {
            if (key == GATHER_TIMER) {
                gatherArmed = false;
                send();
            } else {
                deadlineArmed = false;
                expire();
            }
        }

        /** Elements whose last chance passed come out as timeouts; the timer moves on to the next batch. */
        private void expire() {
            long now = System.nanoTime();
            dropAnsweredBatches();
            while (!sent.isEmpty() && now - sent.peekFirst().deadlineNanos >= 0) {
                for (Unit unit : sent.pollFirst().units) {
                    if (awaiting.remove(unit.tag) != null) {
                        answerAll(unit.elements, new RequestTimeoutException(kernelId, "kernel '" + kernelId
                                + "' did not answer within " + giveUpAfter.toMillis() + " ms (the request's timeout of "
                                + timeout.toMillis() + " ms and a margin); its actor may have stopped"));
                    }
                }
                dropAnsweredBatches();
            }
            if (!sent.isEmpty()) {
                deadlineArmed = true;
                scheduleOnce(DEADLINE_TIMER, Duration.ofNanos(sent.peekFirst().deadlineNanos - now));
            }
            send();
            emit();
        }

        /** Pushes the next result downstream if it is ready and wanted; completes once all are out. */
        private void emit() {
            if (isAvailable(out)) {
                Element next = queue.peekFirst();
                if (next != null && next.result != null) {
                    queue.pollFirst();
                    held--;
                    if (errors == ErrorHandling.FAIL_STREAM && next.result.error().isPresent()) {
                        failStage(next.result.error().get());
                        return;
                    }
                    push(out, next.result);
                }
            }
            if (held == 0 && isClosed(in)) {
                completeStage();
            } else {
                pullIfRoom();
            }
        }

        private void pullIfRoom() {
            if (held < parallelism && !hasBeenPulled(in) && !isClosed(in)) {
                pull(in);
            }
        }
    }
}
