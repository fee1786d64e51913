/**
 * The process route's Arrow IPC stream format ({@code application/vnd.apache.arrow.stream}), built into the server
 * unless it is built with {@code -Dringkernel.arrow-route=off}.
 */
package org.ringkernel.http.arrow;
