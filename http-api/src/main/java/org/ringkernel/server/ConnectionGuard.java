package org.ringkernel.server;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between one HTTP connection and the routes, and decides what the connection may cost: it closes a
 * connection whose first request head does not arrive within {@code request-head-timeout}, or that stays
 * without a request in progress for {@code keep-alive-timeout}, however slowly bytes trickle in; and it carries
 * out the drain of {@link ServerConnections} at shutdown: from then on responses go out with
 * {@code Connection: close}, a request that arrives is answered 503 without reaching the routes (its body read
 * and discarded first, so that closing the connection cannot reset the answer), and an idle connection is closed
 * when the drain ends.
 *
 * <p>One instance per connection; its state is touched only by the stage, and by other threads only through
 * the stage's callbacks.
 */
final class ConnectionGuard extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final String IDLE_TIMER = "idle";
    private static final String CLOSE_TIMER = "close";
    /**
     * How long a connection must have been idle before the end of a drain closes it. A client that keeps its
     * connection busy sends its next request within moments of the last response; closing just then would reset
     * that request instead of answering it 503.
     */
    private static final Duration QUIET = Duration.ofMillis(250);
    private static final Connection CLOSE = Connection.create("close");

    /** What {@link ServerConnections} may ask of a connection, from any thread. */
    interface Handle {
        /** From now on, answer new requests 503 and close after each response. */
        void drain();

        /** Close now if no request is in progress, else once the one in progress is answered. */
        void closeIfIdle();
    }

    private final Inlet<HttpRequest> requestsIn = Inlet.create("ConnectionGuard.requestsIn");
    private final Outlet<HttpRequest> requestsOut = Outlet.create("ConnectionGuard.requestsOut");
    private final Inlet<HttpResponse> responsesIn = Inlet.create("ConnectionGuard.responsesIn");
    private final Outlet<HttpResponse> responsesOut = Outlet.create("ConnectionGuard.responsesOut");
    private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
            new BidiShape<>(requestsIn, requestsOut, responsesIn, responsesOut);

    private final ServerConnections connections;
    private final HttpSettings.ConnectionSettings limits;
    private final Supplier<HttpResponse> refusal;

    private ConnectionGuard(ServerConnections connections, HttpSettings.ConnectionSettings limits,
                            Supplier<HttpResponse> refusal) {
        this.connections = connections;
        this.limits = limits;
        this.refusal = refusal;
    }

    /**
     * The guard as a layer to join with the routes' flow; it is materialized once per connection.
     *
     * @param refusal the answer to a request that arrives during the drain
     */
    static BidiFlow<HttpRequest, HttpRequest, HttpResponse, HttpResponse, NotUsed> layer(
            ServerConnections connections, HttpSettings.ConnectionSettings limits, Supplier<HttpResponse> refusal) {
        return BidiFlow.fromGraph(new ConnectionGuard(connections, limits, refusal));
    }

    @Override
    public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new Logic();
    }

    private final class Logic extends TimerGraphStageLogic implements Handle {
        /** Requests whose response has not been handed to the connection in full; at most a few. */
        private int pending;
        private boolean draining;
        private boolean closeWhenIdle;
        private long idleSinceNanos = System.nanoTime();
        private AsyncCallback<Done> drainSignal;
        private AsyncCallback<Done> closeSignal;
        private AsyncCallback<Done> entitySent;
        private AsyncCallback<Done> refusalReady;

        Logic() {
            super(shape);
            // Each direction ends on its own: the end of the requests must not cut a response still on its way.
            setHandler(requestsIn, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onRequest(grab(requestsIn));
                }

                @Override
                public void onUpstreamFinish() {
                    complete(requestsOut);
                }
            });
            setHandler(requestsOut, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pull(requestsIn);
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    cancel(requestsIn, cause);
                }
            });
            setHandler(responsesIn, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onResponse(grab(responsesIn));
                }

                @Override
                public void onUpstreamFinish() {
                    complete(responsesOut);
                }
            });
            setHandler(responsesOut, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    if (!hasBeenPulled(responsesIn) && !isClosed(responsesIn)) {
                        pull(responsesIn);
                    }
                }
            });
        }

        @Override
        public void preStart() {
            drainSignal = createAsyncCallback(done -> draining = true);
            closeSignal = createAsyncCallback(done -> {
                closeWhenIdle = true;
                closeWhenQuiet();
            });
            entitySent = createAsyncCallback(done -> responseFinished());
            refusalReady = createAsyncCallback(done ->
                    emit(responsesOut, refusal.get().addHeader(CLOSE), this::responseFinished));
            scheduleOnce(IDLE_TIMER, limits.requestHeadTimeout());
            connections.opened(this);
        }

        @Override
        public void drain() {
            drainSignal.invoke(Done.getInstance());
        }

        @Override
        public void closeIfIdle() {
            closeSignal.invoke(Done.getInstance());
        }

        private void onRequest(HttpRequest request) {
            cancelTimer(IDLE_TIMER);
            cancelTimer(CLOSE_TIMER);
            pending++;
            if (connections.started()) {
                push(requestsOut, request);
            } else {
                draining = true;
                // Every byte of the request is read before the answer, so the close after it cannot reset it.
                request.discardEntityBytes(materializer()).completionStage()
                        .whenComplete((done, failure) -> refusalReady.invoke(Done.getInstance()));
            }
        }

        private void onResponse(HttpResponse response) {
            HttpResponse out = draining ? response.removeHeader(CLOSE.name()).addHeader(CLOSE) : response;
            ResponseEntity entity = out.entity();
            if (entity.isKnownEmpty() || entity instanceof HttpEntity.Strict) {
                push(responsesOut, out);
                responseFinished();
            } else {
                push(responsesOut, out.withEntity(watched(entity)));
            }
        }

        /** {@code entity}, telling the stage when its last byte has been handed to the connection. */
        private ResponseEntity watched(ResponseEntity entity) {
            Flow<ByteString, ByteString, Object> watch = Flow.<ByteString>create().watchTermination((notUsed, sent) -> {
                sent.whenComplete((done, failure) -> entitySent.invoke(Done.getInstance()));
                return notUsed;
            });
            // The Java API has no transformDataBytes; every entity is a Scala entity underneath.
            return ((org.apache.pekko.http.scaladsl.model.ResponseEntity) entity).transformDataBytes(watch.asScala());
        }

        private void responseFinished() {
            pending--;
            connections.finished(1);
            if (pending == 0) {
                idleSinceNanos = System.nanoTime();
                scheduleOnce(IDLE_TIMER, limits.keepAliveTimeout());
                if (closeWhenIdle) {
                    closeWhenQuiet();
                }
            }
        }

        private void closeWhenQuiet() {
            if (pending > 0) {
                return;
            }
            long quietNanos = QUIET.toNanos() - (System.nanoTime() - idleSinceNanos);
            if (quietNanos <= 0) {
                completeStage();
            } else {
                scheduleOnce(CLOSE_TIMER, Duration.ofNanos(quietNanos));
            }
        }

        @Override
        public void onTimer(Object key) {
            if (pending > 0) {
                return;
            }
            if (IDLE_TIMER.equals(key)) {
                LOG.debug("closing a connection that sent no complete request head in time");
            }
            completeStage();
        }

        @Override
        public void postStop() {
            connections.closed(this, pending);
        }
    }
}
