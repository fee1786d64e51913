package org.ringkernel.bridge.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The modules a context has loaded and the functions looked up in them, behind one lock: a reset clears both only
 * while no lookup runs, so a lookup never returns a function of a destroyed module, nor fills a map being cleared.
 *
 * @param <M> a loaded module
 * @param <F> a function of one
 */
final class LoadedModules<M, F> {
    private final Map<String, M> modules = new HashMap<>();
    private final Map<String, F> functions = new HashMap<>();

    /**
     * The function {@code entry} of module {@code moduleName}, loading the module ({@code load}) and looking the
     * function up ({@code lookup}) on first use.
     */
    synchronized F function(String moduleName, String entry, Function<String, M> load,
                            BiFunction<M, String, F> lookup) {
        String key = moduleName + "#" + entry;
        F function = functions.get(key);
        if (function == null) {
            function = lookup.apply(modules.computeIfAbsent(moduleName, load), entry);
            functions.put(key, function);
        }
        return function;
    }

    /** Whether {@code entry} of module {@code moduleName} was looked up already. */
    synchronized boolean has(String moduleName, String entry) {
        return functions.containsKey(moduleName + "#" + entry);
    }

    /** Forgets every module and function, then runs {@code reset} (which destroys them), under the lock. */
    synchronized void clear(Runnable reset) {
        modules.clear();
        functions.clear();
        reset.run();
    }
}
