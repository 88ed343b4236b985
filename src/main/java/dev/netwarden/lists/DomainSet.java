package dev.netwarden.lists;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An immutable set of domains where an entry covers its subdomains: {@code ads.example.com} covers
 * {@code x.ads.example.com} but not {@code example.com} or {@code badads.example.com}.
 *
 * <p>Why this layout: a {@code HashSet<String>} of a million names costs over 100 MB (a String, its
 * byte array and a map node per name). Here every name sits once in one byte arena
 * ({@code [length][ASCII bytes]}), and an open-addressing table (linear probing, at most half full)
 * holds a 64-bit hash of each name and the name's arena offset: about 12 bytes per slot plus the name,
 * ~45 MB for a million typical names. A hash match is confirmed against the arena bytes, so there are
 * no false positives.
 *
 * <p>Why lookups cost O(name length): the hash is computed from the name's last character towards its
 * first, so at each label boundary the running value is already the hash of the suffix to the right
 * of it ({@code com}, {@code example.com}, {@code ads.example.com}, …). One pass over the name yields
 * every suffix's hash; each is one probe, and the byte comparison runs only on a hash match. Lookups
 * read final arrays and allocate nothing, so any number of threads may call them.
 *
 * <p>The hash's starting value is random per set, so which names share a probe chain cannot be
 * planned by whoever writes a list or picks a name to look up.
 */
public final class DomainSet {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    static final DomainSet EMPTY = new Builder().build();

    private final long seed;
    private final long[] hashes;
    private final int[] offsets;
    private final byte[] arena;
    private final int mask;
    private final int size;

    private DomainSet(long seed, long[] hashes, int[] offsets, byte[] arena, int size) {
        this.seed = seed;
        this.hashes = hashes;
        this.offsets = offsets;
        this.arena = arena;
        this.mask = hashes.length - 1;
        this.size = size;
    }

    /** Distinct names in the set. */
    public int size() {
        return size;
    }

    /** Bytes held by the set's arrays (for status and the benchmark). */
    public long footprintBytes() {
        return (long) hashes.length * 8 + (long) offsets.length * 4 + arena.length;
    }

    /**
     * True when {@code name} or one of its parent domains is in the set. ASCII case and one trailing
     * dot are ignored. Entries are ASCII, so a suffix with a non-ASCII character never matches, but a
     * non-ASCII label left of a listed suffix does not stop the match ({@code ü.ads.example} is under
     * {@code ads.example}).
     */
    public boolean contains(CharSequence name) {
        return scan(name, null);
    }

    /** Every entry that covers {@code name}, broadest first (for "which entry matched"). */
    public List<String> covering(CharSequence name) {
        List<String> found = new ArrayList<>();
        scan(name, found);
        return found;
    }

    /** Walks the suffixes of {@code name}; with {@code found} null stops at the first match. */
    private boolean scan(CharSequence name, List<String> found) {
        int n = name.length();
        if (n > 0 && name.charAt(n - 1) == '.') {
            n--;
        }
        if (n == 0 || size == 0) {
            return false;
        }
        long h = seed;
        for (int i = n - 1; i >= 0; i--) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            if (c == '.' && matched(h, name, i + 1, n, found)) {
                return true;
            }
            h = step(h, lower(c));
        }
        return matched(h, name, 0, n, found);
    }

    /** True when the suffix is an entry and the scan may stop (no list to fill); adds it to {@code found}. */
    private boolean matched(long rawHash, CharSequence name, int from, int to, List<String> found) {
        int at = find(rawHash, name, from, to);
        if (at < 0) {
            return false;
        }
        if (found == null) {
            return true;
        }
        found.add(entry(at));
        return false;
    }

    private int find(long rawHash, CharSequence name, int from, int to) {
        long h = finish(rawHash);
        int slot = (int) h & mask;
        while (true) {
            long stored = hashes[slot];
            if (stored == 0) {
                return -1;
            }
            if (stored == h && equalsEntry(offsets[slot], name, from, to)) {
                return offsets[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean equalsEntry(int offset, CharSequence name, int from, int to) {
        int len = arena[offset] & 0xff;
        if (len != to - from) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (arena[offset + 1 + i] != lower(name.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }

    private String entry(int offset) {
        return new String(arena, offset + 1, arena[offset] & 0xff, StandardCharsets.US_ASCII);
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static long step(long h, int c) {
        return (h + c) * MULTIPLIER;
    }

    /** Mixes the running hash (murmur3's finaliser) so low bits index well; never 0, which marks an empty slot. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Collects normalised names (see {@link DomainNames}); duplicates are dropped. Not thread-safe. */
    static final class Builder {
        private final long seed = ThreadLocalRandom.current().nextLong();
        private long[] hashes = new long[1024];
        private int[] offsets = new int[1024];
        private byte[] arena = new byte[16 * 1024];
        private int arenaUsed;
        private int size;
        private long duplicates;

        /** Adds {@code name[0, length)}, already normalised; returns false when it was there already. */
        boolean add(byte[] name, int length) {
            if (length <= 0 || length > DomainNames.MAX_LENGTH) {
                throw new IllegalArgumentException("name length " + length);
            }
            long h = seed;
            for (int i = length - 1; i >= 0; i--) {
                h = step(h, name[i]);
            }
            h = finish(h);
            int mask = hashes.length - 1;
            int slot = (int) h & mask;
            while (hashes[slot] != 0) {
                if (hashes[slot] == h && Arrays.equals(arena, offsets[slot] + 1, offsets[slot] + 1 + (arena[offsets[slot]] & 0xff),
                        name, 0, length)) {
                    duplicates++;
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            if (arenaUsed + 1 + length > arena.length) {
                long grown = Math.max((long) arena.length * 2, arenaUsed + 1L + length);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("domain set over 2 GB");
                }
                arena = Arrays.copyOf(arena, (int) grown);
            }
            hashes[slot] = h;
            offsets[slot] = arenaUsed;
            arena[arenaUsed] = (byte) length;
            System.arraycopy(name, 0, arena, arenaUsed + 1, length);
            arenaUsed += 1 + length;
            if (++size > hashes.length / 2) {
                grow();
            }
            return true;
        }

        long duplicates() {
            return duplicates;
        }

        private void grow() {
            long[] oldHashes = hashes;
            int[] oldOffsets = offsets;
            hashes = new long[oldHashes.length * 2];
            offsets = new int[oldHashes.length * 2];
            int mask = hashes.length - 1;
            for (int i = 0; i < oldHashes.length; i++) {
                long h = oldHashes[i];
                if (h != 0) {
                    int slot = (int) h & mask;
                    while (hashes[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    hashes[slot] = h;
                    offsets[slot] = oldOffsets[i];
                }
            }
        }

        DomainSet build() {
            return new DomainSet(seed, hashes, offsets, Arrays.copyOf(arena, arenaUsed), size);
        }
    }
}
