package dev.netwarden.top;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TableViewTest {
    static <R> int used(List<Column<R>> columns, int[] widths) {
        int sum = 0;
        int n = 0;
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] > 0) {
                sum += widths[i];
                n++;
                assertThat(widths[i]).isBetween(columns.get(i).minWidth(), columns.get(i).maxWidth());
            }
        }
        return sum + Math.max(0, n - 1);
    }

    @Test
    void columnsAreDroppedByPriorityAndTheRestSpreadOverThoseKept() {
        for (int width : new int[] {40, 60, 80, 100, 132, 200, 300}) {
            assertThat(used(Pane.PROCESS_COLUMNS, TableView.widths(Pane.PROCESS_COLUMNS, width))).isLessThanOrEqualTo(width);
            assertThat(used(Pane.CONNECTION_COLUMNS, TableView.widths(Pane.CONNECTION_COLUMNS, width))).isLessThanOrEqualTo(width);
            assertThat(used(Pane.HOST_COLUMNS, TableView.widths(Pane.HOST_COLUMNS, width))).isLessThanOrEqualTo(width);
        }
        int[] at40 = TableView.widths(Pane.PROCESS_COLUMNS, 40);
        assertThat(at40[1]).as("PROCESS stays").isPositive();
        assertThat(at40[3]).as("UP/s stays").isPositive();
        assertThat(at40[8]).as("EXECUTABLE goes first").isZero();
        int[] at300 = TableView.widths(Pane.CONNECTION_COLUMNS, 300);
        for (int w : at300) {
            assertThat(w).isPositive();
        }
    }

    @Test
    void theFirstKRowsAreThoseAFullSortWouldGive() {
        Random r = new Random(7);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(r.nextInt(1000));
        }
        Comparator<Integer> order = Comparator.reverseOrder();
        List<Integer> all = new ArrayList<>(rows);
        all.sort(order);
        assertThat(TableView.first(rows, order, 25)).isEqualTo(all.subList(0, 25));
        assertThat(TableView.first(rows.subList(0, 10), order, 25)).hasSize(10).isSortedAccordingTo(order);
        assertThat(TableView.first(rows, order, 0)).isEmpty();
    }
}
