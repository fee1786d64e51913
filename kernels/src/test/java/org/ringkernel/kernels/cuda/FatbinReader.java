package org.ringkernel.kernels.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what the tests need from an nvcc fatbin: its entries (PTX or ELF, and for which architecture) and
 * the kernel entry points an ELF entry exports.
 *
 * <p>NVIDIA does not publish the container's layout; this reader relies on the fields below, as nvcc 13
 * writes them, and fails with a message naming the field when a file does not look like that:
 *
 * <pre>
 *  file header, 16 bytes:  u32 magic 0xBA55ED50 | u16 version | u16 header length | u64 length of the entries
 *  entry header:           u16 kind (1 PTX, 2 ELF) | u16 version | u32 header length | u64 payload length
 *                          +16 u32 compressed payload length, 0 when stored as is | +28 u32 architecture
 *                          (sm × 10 + minor, e.g. 90) | the payload follows the header
 * </pre>
 *
 * nvcc compresses PTX entries but stores ELF (SASS) entries as is, so the symbol table of an ELF entry can be
 * read directly: a kernel entry point is a global function symbol flagged {@code STO_CUDA_ENTRY}.
 */
final class FatbinReader {
    static final int MAGIC = 0xBA55ED50;
    static final int KIND_PTX = 1;
    static final int KIND_ELF = 2;

    private static final int ELF_MACHINE_CUDA = 190;
    private static final int SHT_SYMTAB = 2;
    private static final int STT_FUNC = 2;
    private static final int STB_GLOBAL = 1;
    private static final int STO_CUDA_ENTRY = 0x10;
    private static final int SYMBOL_LENGTH = 24;

    /** One entry of the container; {@code payload} is a view of its bytes. */
    record Entry(int kind, int architecture, boolean compressed, ByteBuffer payload) {
    }

    private FatbinReader() {
    }

    static List<Entry> entries(byte[] fatbin) {
        ByteBuffer bytes = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        require(bytes.getInt(0) == MAGIC, "magic is 0x" + Integer.toHexString(bytes.getInt(0)) + ", not 0xba55ed50");
        int headerLength = Short.toUnsignedInt(bytes.getShort(6));
        long end = headerLength + bytes.getLong(8);
        require(end == fatbin.length, "the header says " + end + " bytes, the file has " + fatbin.length);
        List<Entry> entries = new ArrayList<>();
        long offset = headerLength;
        while (offset < end) {
            int at = Math.toIntExact(offset);
            int kind = Short.toUnsignedInt(bytes.getShort(at));
            int entryHeaderLength = bytes.getInt(at + 4);
            long payloadLength = bytes.getLong(at + 8);
            int compressedLength = bytes.getInt(at + 16);
            int architecture = bytes.getInt(at + 28);
            long payloadEnd = offset + entryHeaderLength + payloadLength;
            require(entryHeaderLength >= 32 && payloadEnd <= end, "entry at " + offset + " runs past the file");
            ByteBuffer payload = bytes.slice(at + entryHeaderLength, Math.toIntExact(payloadLength))
                    .order(ByteOrder.LITTLE_ENDIAN);
            entries.add(new Entry(kind, architecture, compressedLength != 0, payload));
            offset = payloadEnd;
        }
        return entries;
    }

    /** The names of the kernel entry points (global functions flagged {@code STO_CUDA_ENTRY}) of an ELF entry. */
    static Set<String> kernelEntries(Entry entry) {
        require(entry.kind() == KIND_ELF && !entry.compressed(), "not an uncompressed ELF entry");
        ByteBuffer elf = entry.payload();
        require(elf.getInt(0) == 0x464C457F && elf.get(4) == 2 && elf.get(5) == 1,
                "the payload is not a 64-bit little-endian ELF file");
        require(Short.toUnsignedInt(elf.getShort(0x12)) == ELF_MACHINE_CUDA, "the ELF file is not for a CUDA device");
        int sectionTable = Math.toIntExact(elf.getLong(0x28));
        int sectionLength = Short.toUnsignedInt(elf.getShort(0x3A));
        int sections = Short.toUnsignedInt(elf.getShort(0x3C));
        Set<String> names = new TreeSet<>();
        for (int s = 0; s < sections; s++) {
            int header = sectionTable + s * sectionLength;
            if (elf.getInt(header + 4) != SHT_SYMTAB) {
                continue;
            }
            int symbols = Math.toIntExact(elf.getLong(header + 24));
            int symbolsLength = Math.toIntExact(elf.getLong(header + 32));
            int strings = Math.toIntExact(elf.getLong(sectionTable + elf.getInt(header + 40) * sectionLength + 24));
            for (int symbol = symbols; symbol < symbols + symbolsLength; symbol += SYMBOL_LENGTH) {
                int info = Byte.toUnsignedInt(elf.get(symbol + 4));
                int other = Byte.toUnsignedInt(elf.get(symbol + 5));
                if ((info & 0xF) == STT_FUNC && info >> 4 == STB_GLOBAL && (other & STO_CUDA_ENTRY) != 0) {
                    names.add(string(elf, strings + elf.getInt(symbol)));
                }
            }
        }
        return names;
    }

    private static String string(ByteBuffer elf, int start) {
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        elf.get(start, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("not an nvcc fatbin as expected: " + what);
        }
    }
}
