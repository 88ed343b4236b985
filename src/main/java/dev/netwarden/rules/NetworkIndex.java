package dev.netwarden.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which rules' cidr conditions contain an address, found by hash lookups instead of testing every
 * rule: the networks are grouped by family and prefix length, and an address is masked once per
 * prefix length present and looked up (as a router's table does with few distinct lengths).
 *
 * <p>Why: a connection no rule decides is tested against every rule that does not name an
 * executable; with hundreds of cidr rules, each costing a prefix comparison, that was most of the
 * rules' share of the firewall's time per connection. Built once per rule set; read-only after.
 */
final class NetworkIndex {
    private static final int[] NONE = new int[0];

    /** Per prefix length (ascending) of IPv4 networks: masked address -> rule indexes. */
    private final int[] v4Lengths;
    private final List<Map<Long, int[]>> v4;
    /** The same for IPv6, keyed by the masked address's two halves. */
    private final int[] v6Lengths;
    private final List<Map<Halves, int[]>> v6;

    private record Halves(long high, long low) {
    }

    /** @param networks the networks of rule {@code i} at index {@code i}; null for a rule not indexed here */
    NetworkIndex(Network[][] networks) {
        Map<Integer, Map<Long, TreeSet<Integer>>> four = new HashMap<>();
        Map<Integer, Map<Halves, TreeSet<Integer>>> six = new HashMap<>();
        for (int rule = 0; rule < networks.length; rule++) {
            if (networks[rule] == null) {
                continue;
            }
            for (Network n : networks[rule]) {
                if (n.prefix().length == 4) {
                    four.computeIfAbsent(n.bits(), b -> new HashMap<>())
                            .computeIfAbsent(v4Key(n.prefix(), n.bits()), k -> new TreeSet<>()).add(rule);
                } else {
                    six.computeIfAbsent(n.bits(), b -> new HashMap<>())
                            .computeIfAbsent(v6Key(n.prefix(), n.bits()), k -> new TreeSet<>()).add(rule);
                }
            }
        }
        v4Lengths = lengths(four);
        v4 = tables(v4Lengths, four);
        v6Lengths = lengths(six);
        v6 = tables(v6Lengths, six);
    }

    private static int[] lengths(Map<Integer, ?> byLength) {
        return byLength.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** One lookup table per prefix length, in {@code lengths} order, each key's rules as a sorted array. */
    private static <K> List<Map<K, int[]>> tables(int[] lengths, Map<Integer, Map<K, TreeSet<Integer>>> byLength) {
        List<Map<K, int[]>> out = new ArrayList<>(lengths.length);
        for (int bits : lengths) {
            Map<K, int[]> m = new HashMap<>();
            byLength.get(bits).forEach((k, rules) -> m.put(k, rules.stream().mapToInt(Integer::intValue).toArray()));
            out.add(m);
        }
        return out;
    }

    /** True when no rule is indexed (nothing to look up). */
    boolean isEmpty() {
        return v4Lengths.length == 0 && v6Lengths.length == 0;
    }

    /** The indexes, ascending and each once, of the rules with a network containing {@code address} (4 or 16 bytes). */
    int[] rulesContaining(byte[] address) {
        int[] found = NONE;
        int count = 0;
        if (address.length == 4) {
            for (int i = 0; i < v4Lengths.length; i++) {
                int[] hit = v4.get(i).get(v4Key(address, v4Lengths[i]));
                if (hit != null) {
                    found = append(found, count, hit);
                    count += hit.length;
                }
            }
        } else if (address.length == 16) {
            for (int i = 0; i < v6Lengths.length; i++) {
                int[] hit = v6.get(i).get(v6Key(address, v6Lengths[i]));
                if (hit != null) {
                    found = append(found, count, hit);
                    count += hit.length;
                }
            }
        }
        if (count == 0) {
            return NONE;
        }
        // Several prefix lengths (or networks of one rule) can hit: sort, drop repeats.
        Arrays.sort(found, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || found[distinct - 1] != found[i]) {
                found[distinct++] = found[i];
            }
        }
        return distinct == found.length ? found : Arrays.copyOf(found, distinct);
    }

    private static int[] append(int[] into, int count, int[] more) {
        if (count == 0 && into == NONE) {
            return more.clone();
        }
        int[] out = count + more.length <= into.length ? into : Arrays.copyOf(into, Math.max(count + more.length, into.length * 2));
        System.arraycopy(more, 0, out, count, more.length);
        return out;
    }

    private static long v4Key(byte[] a, int bits) {
        long v = ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
        long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
        return v & mask;
    }

    private static Halves v6Key(byte[] a, int bits) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (a[i] & 0xFFL);
            low = (low << 8) | (a[i + 8] & 0xFFL);
        }
        long highMask = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long lowMask = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
        return new Halves(high & highMask, low & lowMask);
    }
}
