package org.ringkernel.actors;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.ringkernel.bridge.runtime.BackoffIdle;
import org.ringkernel.bridge.runtime.Completion;
import org.ringkernel.bridge.runtime.InstanceSettings.IdleSettings;
import org.ringkernel.bridge.runtime.KernelInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the completions of every kernel instance of a device: it answers the requests that completed without error
 * straight to their callers ({@link DirectAnswers}), and sends what it read to the instance's actor as one message per
 * read, for its bookkeeping and the answers it gives itself, so no actor thread ever blocks or spins on a ring and a
 * successful request is answered without passing its actor again. It is the consumer side of every registered
 * {@link org.ringkernel.bridge.runtime.HostChannel}.
 *
 * <p>Where the instance's loop runs on a host thread (the CPU backend), that thread reads its own completions right
 * after it published them ({@link KernelInstance#callAfterCompletions}), and the request is answered one thread hop
 * sooner; the poller's thread then only watches for a stop the loop did not report. A GPU kernel calls nothing, so
 * the poller's thread polls its K2H ring. Either way one registration is read by one thread at a time, under its
 * lock.
 *
 * <p>When an instance's loop stops (failed or terminated), the reader reads the completions the kernel
 * published before it stopped, sends them, then reports the stop; the actor thus answers what completed
 * before it handles the failure.
 */
final class CompletionPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionPoller.class);
    private static final int POLL_LIMIT = 1024;
    private static final Duration BUSY_MAX_PARK = Duration.ofNanos(50_000);

    /** One instance's completions and who gets them; read under its own lock, by one thread at a time. */
    private static final class Registration {
        final KernelInstance instance;
        final long generation;
        final ActorRef<KernelCommand> owner;
        final DirectAnswers answers;
        final List<Completion> read = new ArrayList<>();
        /** Whether the instance's loop reads its completions itself, leaving the poller's thread only its stop. */
        volatile boolean readByLoop;
        /** Set once it was removed: a read that races with the removal delivers nothing more. */
        volatile boolean removed;

        Registration(KernelInstance instance, long generation, ActorRef<KernelCommand> owner, DirectAnswers answers) {
            this.instance = instance;
            this.generation = generation;
            this.owner = owner;
            this.answers = answers;
        }
    }

    /** Replaced whole on every change, so the polling loop walks a plain array without locks or garbage. */
    private volatile Registration[] registrations = new Registration[0];
    private final IdleSettings idleSettings;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    /** Whether any registration is read by the poller's thread, so a publish must wake it. */
    private volatile boolean pollsAny;

    CompletionPoller(String name, IdleSettings idle) {
        this.idleSettings = idle;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Starts reading {@code instance}'s completions for {@code owner}, tagged with {@code generation}, answering what
     * {@code answers} may answer directly.
     */
    void register(KernelInstance instance, long generation, ActorRef<KernelCommand> owner, DirectAnswers answers) {
        Registration registration = new Registration(instance, generation, owner, answers);
        synchronized (this) {
            Registration[] current = registrations;
            Registration[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = registration;
            registrations = next;
        }
        // Until this returns the poller's thread may read it too; the registration's lock keeps that to one reader.
        registration.readByLoop = instance.callAfterCompletions(() -> readOnLoop(registration));
        updatePollsAny();
        wake();
    }

    /**
     * Stops reading {@code instance}'s completions. A read under way may still deliver one last message,
     * tagged with the old generation, which its actor ignores.
     */
    void detach(KernelInstance instance) {
        remove(registration -> registration.instance == instance);
    }

    /** Removes the registrations {@code which} selects; true when it removed any. */
    private synchronized boolean remove(Predicate<Registration> which) {
        Registration[] current = registrations;
        Registration[] next = Arrays.stream(current).filter(which.negate()).toArray(Registration[]::new);
        Arrays.stream(current).filter(which).forEach(registration -> registration.removed = true);
        registrations = next;
        updatePollsAny();
        return next.length != current.length;
    }

    private synchronized void updatePollsAny() {
        pollsAny = Arrays.stream(registrations).anyMatch(registration -> !registration.readByLoop);
    }

    /**
     * What the instance's loop calls after it published completions, and when it stopped, on its own thread. It
     * must not throw: an exception would fail the instance's loop.
     */
    private void readOnLoop(Registration registration) {
        if (registration.removed) {
            return;
        }
        try {
            read(registration);
        } catch (RuntimeException e) {
            readFailed(registration, e);
        }
    }

    /** Wakes the poller if it parked; called after publishing requests. */
    void wake() {
        if (!pollsAny) {
            return;
        }
        // Full fence: the caller's publish must not move below the read of the sleeping flag.
        VarHandle.fullFence();
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        // With requests in flight a completion can appear at any moment and nothing will wake the poller for
        // it, so it parks only briefly; with none, a publish wakes it, so it may sleep long and cost nothing.
        BackoffIdle busy = new BackoffIdle(idleSettings.withMaxPark(BUSY_MAX_PARK));
        BackoffIdle quiet = new BackoffIdle(idleSettings);
        while (running) {
            boolean any = false;
            boolean pending = false;
            Registration[] polled = registrations;
            for (Registration registration : polled) {
                if (registration.readByLoop && !registration.instance.state().isFinal()) {
                    // Its loop reads what it publishes; only a stop it did not report is left to this thread.
                    continue;
                }
                pending |= registration.instance.channel().inFlight() > 0;
                try {
                    any |= read(registration);
                } catch (RuntimeException e) {
                    readFailed(registration, e);
                }
            }
            if (any) {
                busy.reset();
                quiet.reset();
            } else if (pending) {
                quiet.reset();
                waitForWork(busy, polled, true);
            } else {
                busy.reset();
                waitForWork(quiet, polled, false);
            }
        }
    }

    /** A broken channel must not stop the completions of every other kernel: this one is reported stopped. */
    private void readFailed(Registration registration, RuntimeException e) {
        LOG.error("reading completions of {} failed; the instance is reported stopped", registration.instance, e);
        if (remove(r -> r == registration)) {
            registration.owner.tell(new InternalKernelCommand.InstanceStopped(registration.generation,
                    registration.instance.status()));
        }
    }

    /** Reads what {@code registration}'s instance published, and reports its stop once it stopped; true if any. */
    private boolean read(Registration registration) {
        synchronized (registration) {
            KernelInstance instance = registration.instance;
            if (registration.removed) {
                return false;
            }
            if (instance.channel().poll(registration.read::add, POLL_LIMIT) > 0) {
                deliver(registration);
                return true;
            }
            if (!instance.state().isFinal()) {
                return false;
            }
            // The loop stopped: what it published before its final state is visible now; send that first.
            while (instance.channel().poll(registration.read::add, POLL_LIMIT) > 0) {
                deliver(registration);
            }
            if (remove(r -> r == registration)) {
                registration.owner.tell(new InternalKernelCommand.InstanceStopped(registration.generation,
                        instance.status()));
            }
            return true;
        }
    }

    private static void deliver(Registration registration) {
        List<Completion> read = registration.read;
        registration.answers.answer(read, System.nanoTime());
        registration.owner.tell(new InternalKernelCommand.CompletionsArrived(registration.generation,
                List.copyOf(read)));
        read.clear();
    }

    /**
     * One idle round after a poll of {@code polled} found nothing. Before it parks it announces that it sleeps and
     * then looks again, so a publish whose {@link #wake} read the flag before the announcement is not slept through.
     */
    private void waitForWork(BackoffIdle idle, Registration[] polled, boolean pending) {
        if (idle.nextParks()) {
            sleeping = true;
            // Full fence: the announcement must be visible before the re-check reads the channels; pairs with wake().
            VarHandle.fullFence();
            if (!workArrived(polled, pending)) {
                idle.idle();
            }
            sleeping = false;
        } else {
            idle.idle();
        }
    }

    /** Whether a registration or a publish arrived since the poll of {@code polled} that saw {@code pending}. */
    private boolean workArrived(Registration[] polled, boolean pending) {
        if (registrations != polled) {
            return true;
        }
        if (pending) {
            // Completions wake no one; the busy park is short for that reason.
            return false;
        }
        for (Registration registration : polled) {
            if (!registration.readByLoop && registration.instance.channel().inFlight() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
