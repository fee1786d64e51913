/**
 * The server's configuration: where it comes from and how it is checked before anything starts.
 *
 * <p>{@link org.ringkernel.server.config.ServerConfig#load} layers, highest precedence first:
 * <ol>
 *   <li>environment variables starting {@code RINGKERNEL_}: {@code RINGKERNEL_A__B_C} sets
 *       {@code ringkernel.a.b-c} ({@code __} separates path segments, {@code _} inside a segment becomes
 *       {@code -}), and the shorthands {@code RINGKERNEL_BACKEND}, {@code RINGKERNEL_HTTP_PORT},
 *       {@code RINGKERNEL_LOG_FORMAT}, {@code RINGKERNEL_LOG_LEVEL}; a list key takes a comma-separated value;</li>
 *   <li>the file named by {@code --config}: HOCON ({@code .conf}) or TOML ({@code .toml}, with the keys of the
 *       Rust guide's example: {@code backend}, {@code device_id}, {@code queue_capacity},
 *       {@code telemetry_enabled}, {@code [kernel] default_block_size, max_kernels, timeout_ms},
 *       {@code [memory] pool_size, enable_pooling}, {@code [logging] level, format}; any other key maps
 *       table by table, snake_case to kebab-case, under {@code ringkernel});</li>
 *   <li>{@code conf/application.conf} under the working directory, when present;</li>
 *   <li>the {@code reference.conf} of every module, which documents each key.</li>
 * </ol>
 * A key under {@code ringkernel} that no {@code reference.conf} defines is an error, wherever it is set, so
 * that a misspelt key cannot be silently ignored; only a section that is empty by default, such as
 * {@code ringkernel.cluster.instances}, takes keys of the operator's choosing.
 * {@link org.ringkernel.server.config.ServerConfig#validate} then reads every settings class, so that a bad
 * value stops start-up with the key's path, what was expected, and where the value was set.
 */
package org.ringkernel.server.config;
