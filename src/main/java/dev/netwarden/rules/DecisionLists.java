package dev.netwarden.rules;

import dev.netwarden.firewall.ListMembership;

import java.net.InetAddress;

/**
 * The block lists as seen by one decision: every answer is kept for the rest of that decision, so
 * the many rules that name the same list (one per application, say) ask it about the connection's
 * domain and address once, not once each. Made per decision and thrown away (one connection, one
 * thread); the facts do not change during a decision, so a list name is the whole key.
 */
final class DecisionLists implements ListMembership {
    private static final int MAX_REMEMBERED = 8;

    private final ListMembership lists;
    private final String[] domainLists = new String[MAX_REMEMBERED];
    private final boolean[] domainAnswers = new boolean[MAX_REMEMBERED];
    private int domainCount;
    private final String[] addressLists = new String[MAX_REMEMBERED];
    private final boolean[] addressAnswers = new boolean[MAX_REMEMBERED];
    private int addressCount;

    DecisionLists(ListMembership lists) {
        this.lists = lists;
    }

    @Override
    public boolean containsDomain(String listName, String domain) {
        for (int i = 0; i < domainCount; i++) {
            if (domainLists[i].equals(listName)) {
                return domainAnswers[i];
            }
        }
        boolean answer = lists.containsDomain(listName, domain);
        if (domainCount < MAX_REMEMBERED) {
            domainLists[domainCount] = listName;
            domainAnswers[domainCount++] = answer;
        }
        return answer;
    }

    @Override
    public boolean containsAddress(String listName, InetAddress address) {
        for (int i = 0; i < addressCount; i++) {
            if (addressLists[i].equals(listName)) {
                return addressAnswers[i];
            }
        }
        boolean answer = lists.containsAddress(listName, address);
        if (addressCount < MAX_REMEMBERED) {
            addressLists[addressCount] = listName;
            addressAnswers[addressCount++] = answer;
        }
        return answer;
    }

    @Override
    public void recordHit(String listName) {
        lists.recordHit(listName);
    }
}
