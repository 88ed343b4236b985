package dev.netwarden.daemon;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the stats records of the monitor's parts into the flat, JSON-friendly maps {@link Service#stats()}
 * promises: numbers, strings and booleans stay, nested records become nested maps, anything else its
 * string form. One place for it, so no part needs to know about the status op.
 */
final class StatsMap {
    private StatsMap() {
    }

    static Map<String, Object> of(Record stats) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (stats == null) {
            return out;
        }
        for (RecordComponent c : stats.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(stats);
            } catch (IllegalAccessException | InvocationTargetException e) {
                v = "unreadable: " + e;
            }
            out.put(snake(c.getName()), value(v));
        }
        return out;
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Record r) {
            return of(r);
        }
        return v.toString();
    }

    /** "exitedInGrace" → "exited_in_grace", as the rest of the JSON the daemon speaks. */
    static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
