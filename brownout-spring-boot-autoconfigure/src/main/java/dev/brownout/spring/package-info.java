/**
 * Spring Boot auto-configuration of a Brownout runtime: the {@code Brownout} and {@code Features}
 * beans, guard settings and switches read from the application's properties, the recovery filter,
 * guarded beans, and the {@code brownout} actuator endpoint.
 */
@NullMarked
package dev.brownout.spring;

import org.jspecify.annotations.NullMarked;
