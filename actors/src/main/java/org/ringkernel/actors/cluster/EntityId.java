package org.ringkernel.actors.cluster;

/**
 * The id of one kernel entity: the kernel's id and the instance's number, as {@code square#0}.
 *
 * @param kernelId the kernel
 * @param index the instance, from 0
 */
public record EntityId(String kernelId, int index) {

    /** Instance {@code index} of {@code kernelId}. */
    public static EntityId of(String kernelId, int index) {
        return new EntityId(kernelId, index);
    }

    /**
     * Reads {@code kernel#index}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static EntityId parse(String entityId) {
        int hash = entityId.lastIndexOf('#');
        try {
            if (hash > 0) {
                return new EntityId(entityId.substring(0, hash), Integer.parseInt(entityId.substring(hash + 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("a kernel entity id is kernel#index, as square#0, got '" + entityId + "'");
    }

    @Override
    public String toString() {
        return kernelId + "#" + index;
    }
}
