package org.ringkernel.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.directives.RouteAdapter;
import org.apache.pekko.http.scaladsl.server.RouteResult;
import scala.concurrent.Promise;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;

/**
 * Routes that wait for a {@link CompletionStage}, as Pekko's {@code Directives.onComplete} does, but run the inner
 * route on the thread that completes the stage. Pekko's Java directive unwraps a {@link CompletionException} on
 * Scala's global pool and then hands the inner route to the dispatcher: two more threads woken per request, which on
 * a process request (completed by its kernel's actor) cost more CPU than the kernel. The inner route here only builds
 * the response; the directives around it and the connection carry it on as before.
 */
final class StageRoutes {
    private StageRoutes() {
    }

    /**
     * Runs {@code inner} with the outcome of {@code stage} once it is complete, on the completing thread (or the
     * route's, when it is complete already). A failure reaches {@code inner} without its {@link CompletionException}
     * wrapper; whatever {@code inner} throws fails the route, for the exception handler around it.
     */
    static <T> Route onComplete(CompletionStage<T> stage, Function<Try<T>, Route> inner) {
        return RouteAdapter.apply(context -> {
            Promise<RouteResult> result = Futures.promise();
            stage.whenComplete((value, failure) -> {
                try {
                    Try<T> outcome = failure == null ? new Success<>(value) : new Failure<>(unwrapped(failure));
                    result.completeWith(inner.apply(outcome).asScala().apply(context));
                } catch (Throwable t) {
                    result.tryFailure(t);
                }
            });
            return result.future();
        });
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
