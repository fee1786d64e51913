package com.example.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A Pekko application that uses RingKernel the way any outside project would: its guardian spawns an actor that
 * asks the built-in {@code square} kernel and a kernel of the application's own. It prints what it got and exits
 * non-zero when an answer is wrong or missing.
 */
public final class OutsideApp {
    private OutsideApp() {
    }

    public static void main(String[] args) throws Exception {
        CompletableFuture<String> report = new CompletableFuture<>();
        ActorSystem<Guardian.Command> system = ActorSystem.create(Guardian.create(report), "outside-app");
        int status = 0;
        try {
            System.out.println(report.get(60, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            System.out.println("outside app FAILED: " + e.getCause().getMessage());
            status = 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.exit(status);
    }
}
