package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.spring.sample.Catalog;
import dev.brownout.spring.sample.DefaultPriceService;
import dev.brownout.spring.sample.PriceService;
import dev.brownout.spring.sample.StockService;
import org.junit.jupiter.api.Test;

class GuardedBeansTest {

  @Test
  void anImplementationOfAGuardedInterfaceIsWrappedAsThatInterface() {
    assertThat(GuardedBeans.guardedType(DefaultPriceService.class)).contains(PriceService.class);
  }

  @Test
  void aSubclassOfAnImplementationIsWrappedToo() {
    class CachedPriceService extends DefaultPriceService {
      CachedPriceService() {
        super(new Catalog());
      }
    }
    assertThat(GuardedBeans.guardedType(CachedPriceService.class)).contains(PriceService.class);
  }

  @Test
  void anAnnotatedClassIsWrappedAsItself() {
    assertThat(GuardedBeans.guardedType(StockService.class)).contains(StockService.class);
  }

  @Test
  void aGuardedClassIsNotWrappedAgain() {
    try (Brownout brownout = Brownout.builder().build()) {
      PriceService guarded =
          brownout.wrap(PriceService.class, new DefaultPriceService(new Catalog()));
      assertThat(GuardedBeans.guardedType(guarded.getClass())).isEmpty();
    }
  }

  @Test
  void aTypeWithoutAGeneratedClassIsLeftAlone() {
    assertThat(GuardedBeans.guardedType(Catalog.class)).isEmpty();
    assertThat(GuardedBeans.guardedType(String.class)).isEmpty();
  }
}
