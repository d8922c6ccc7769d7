package io.stopplane.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatchBudgetTest {

    @Test
    void theDefaultBudgetsWorstFailurePathStaysUnderTenSeconds() {
        DispatchBudget budget = new DispatchBudget(Duration.ofSeconds(5));
        Duration worst = budget.sends().plus(budget.step()).plus(budget.step()).plus(Duration.ofSeconds(1));
        assertThat(worst).isLessThan(Duration.ofSeconds(10));
        assertThat(budget.sends()).isPositive();
        assertThat(budget.transactionTimeout()).isGreaterThan(budget.timeout());
    }

    @Test
    void aTooSmallBudgetIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new DispatchBudget(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
