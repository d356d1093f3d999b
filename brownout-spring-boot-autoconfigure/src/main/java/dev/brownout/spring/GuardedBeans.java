package dev.brownout.spring;

import dev.brownout.core.Brownout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Replaces a bean whose type has a generated guarded class with that class wrapping it, so that
 * {@code @Autowired PriceService prices} is the guarded one. The bean itself is created by Spring
 * as usual (constructor injection included) and is the delegate.
 *
 * <p>The type looked for is the bean's class, then its superclasses, then its interfaces: a class
 * {@code DefaultPriceService implements PriceService} with an annotated {@code PriceService} is
 * wrapped by {@code Guarded_PriceService}, and is then injected as a {@code PriceService} only.
 * Which generated class, if any, fits a bean class is looked up once per class.
 */
final class GuardedBeans implements BeanPostProcessor, BeanFactoryAware {

  /**
   * Beans that install a part of the runtime a generated class looks up when it is built (the
   * recovery core that {@code @Recover} methods use): created first, or the generated class would
   * install a default one in their place.
   */
  static final List<String> RUNTIME_PARTS = List.of("brownoutRecover");

  private final ObjectProvider<Brownout> brownout;
  private final Map<Class<?>, Optional<Class<?>>> guardedTypes = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> wrappedBy = new ConcurrentHashMap<>();
  private @Nullable ConfigurableListableBeanFactory factory;

  GuardedBeans(ObjectProvider<Brownout> brownout) {
    this.brownout = brownout;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
      this.factory = listable;
    }
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Optional<Class<?>> type =
        guardedTypes.computeIfAbsent(ClassUtils.getUserClass(bean), GuardedBeans::guardedType);
    if (type.isEmpty()) {
      return bean;
    }
    checkOneSingleton(type.get(), beanName);
    if (factory != null) {
      for (String part : RUNTIME_PARTS) {
        if (factory.containsBean(part)) {
          factory.getBean(part);
        }
      }
    }
    return wrap(type.get(), bean);
  }

  /**
   * A generated class builds guards named after its type, once per runtime: a second bean of the
   * type (a prototype's next instance, a scoped bean's next request, another singleton) would fail
   * on a name taken. Say so, naming the beans, rather than let that surface as a name clash.
   */
  private void checkOneSingleton(Class<?> type, String beanName) {
    if (factory != null && factory.containsBeanDefinition(beanName)) {
      BeanDefinition definition = factory.getMergedBeanDefinition(beanName);
      if (!definition.isSingleton()) {
        throw new BeanCreationException(
            beanName,
            "a bean of guarded type "
                + type.getName()
                + " must be a singleton (its guards are named after the type and built once per"
                + " runtime), but bean '"
                + beanName
                + "' has scope '"
                + definition.getScope()
                + "'");
      }
    }
    String first = wrappedBy.putIfAbsent(type, beanName);
    if (first != null && !first.equals(beanName)) {
      throw new BeanCreationException(
          beanName,
          "beans '"
              + first
              + "' and '"
              + beanName
              + "' are both of guarded type "
              + type.getName()
              + ": its guards are named after the type and built once per runtime, so one bean"
              + " of it can be guarded; keep one, or give the other an unannotated type");
    }
  }

  private <T> T wrap(Class<T> type, Object bean) {
    return brownout.getObject().wrap(type, type.cast(bean));
  }

  /** The type of {@code beanClass} that has a generated guarded class, unless it is one itself. */
  static Optional<Class<?>> guardedType(Class<?> beanClass) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> type : supertypes(beanClass)) {
      Class<?> guarded = generatedClass(type);
      if (guarded != null) {
        if (guarded == beanClass) {
          return Optional.empty(); // already guarded
        }
        found.add(type);
      }
    }
    return found.stream().findFirst();
  }

  /**
   * The class, its superclasses, then every interface they implement, nearest first; without the
   * platform's and Spring's own types, which are never annotated with Brownout's annotations and
   * are most of a context's beans (each lookup that misses costs a failed class load).
   */
  private static Set<Class<?>> supertypes(Class<?> beanClass) {
    Set<Class<?>> types = new LinkedHashSet<>();
    for (Class<?> c = beanClass; c != null && c != Object.class; c = c.getSuperclass()) {
      types.add(c);
    }
    for (Class<?> c = beanClass; c != null && c != Object.class; c = c.getSuperclass()) {
      types.addAll(ClassUtils.getAllInterfacesForClassAsSet(c));
    }
    types.removeIf(GuardedBeans::isFrameworkType);
    return types;
  }

  private static boolean isFrameworkType(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jakarta.")
        || name.startsWith("org.springframework.");
  }

  /** {@code a.b.Outer$Inner} → {@code a.b.Guarded_Outer_Inner}, if it exists and is one. */
  private static @Nullable Class<?> generatedClass(Class<?> type) {
    String name = type.getName();
    int dot = name.lastIndexOf('.');
    String generated =
        name.substring(0, dot + 1) + "Guarded_" + name.substring(dot + 1).replace('$', '_');
    ClassLoader loader = type.getClassLoader();
    if (loader == null || !ClassUtils.isPresent(generated, loader)) {
      return null;
    }
    Class<?> guarded = ClassUtils.resolveClassName(generated, loader);
    return type.isAssignableFrom(guarded) ? guarded : null;
  }
}
