package org.ringkernel.grpc;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.pekko.grpc.javadsl.Metadata;

/**
 * The deadline a gRPC client gives a call: the {@code grpc-timeout} header, 1 to 8 digits and a unit
 * ({@code H}ours, {@code M}inutes, {@code S}econds, {@code m}illis, {@code u} micros, {@code n}anos), counted from
 * when the client sent it.
 */
final class GrpcDeadline {
    static final String HEADER = "grpc-timeout";

    private GrpcDeadline() {
    }

    /**
     * @return the call's timeout; empty when the client set none
     * @throws org.apache.pekko.grpc.GrpcServiceException INVALID_ARGUMENT for a header that is not a timeout
     */
    static Optional<Duration> of(Metadata metadata) {
        return metadata.getText(HEADER).map(GrpcDeadline::parse);
    }

    static Duration parse(String value) {
        if (value.length() < 2 || value.length() > 9 || !value.substring(0, value.length() - 1).chars()
                .allMatch(c -> c >= '0' && c <= '9')) {
            throw GrpcErrors.invalidArgument(HEADER + ": expected 1 to 8 digits and a unit (H, M, S, m, u, n), got '"
                    + value + "'");
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        ChronoUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> ChronoUnit.HOURS;
            case 'M' -> ChronoUnit.MINUTES;
            case 'S' -> ChronoUnit.SECONDS;
            case 'm' -> ChronoUnit.MILLIS;
            case 'u' -> ChronoUnit.MICROS;
            case 'n' -> ChronoUnit.NANOS;
            default -> throw GrpcErrors.invalidArgument(HEADER + ": unknown unit '" + value.charAt(value.length() - 1)
                    + "' in '" + value + "'; expected H, M, S, m, u or n");
        };
        return Duration.of(amount, unit);
    }
}
