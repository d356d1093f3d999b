package dev.brownout.admin;

import dev.brownout.core.Brownout;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The experiments and shifts of the {@code migration} module, when it is there. The admin does not
 * require that module: this interface is all the rest of the admin sees, and its one implementation
 * ({@link MigrationViews}), the only class that names the module's types, is loaded only when the
 * module's classes are present and readable. Without them the sections are empty and a shift write
 * is a 404.
 */
interface MigrationSection {

  MigrationSection NONE =
      new MigrationSection() {
        @Override
        public List<Object> experiments() {
          return List.of();
        }

        @Override
        public List<Object> shifts() {
          return List.of();
        }

        @Override
        public Map<String, @Nullable Object> shiftAction(
            String name, Map<String, @Nullable Object> body) {
          throw new AdminProblem(
              404, "No such shift", "no shift '" + name + "': the migration module is not present");
        }

        @Override
        public void tick(EventHub hub) {}

        @Override
        public Map<String, Object> summary() {
          return Map.of();
        }
      };

  /** The experiments of the runtime, by name. */
  List<Object> experiments();

  /** The shifts of the runtime, by name, each with its recent decisions. */
  List<Object> shifts();

  /**
   * {@code {"action":"start|pause|resume|promote|rollback","reason":"..."}} on the shift named
   * {@code name}; returns its view after the action.
   */
  Map<String, @Nullable Object> shiftAction(String name, Map<String, @Nullable Object> body);

  /** Publishes a {@code shift} event for each shift whose state, share or decisions changed. */
  void tick(EventHub hub);

  /** Each shift's state and share, for the once-a-second summary. */
  Map<String, Object> summary();

  /** The section over {@code brownout}'s experiments and shifts, or {@link #NONE}. */
  static MigrationSection of(Brownout brownout, AdminAudit audit) {
    try {
      Class.forName("dev.brownout.migration.Shift", false, MigrationSection.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      return NONE;
    }
    return new MigrationViews(brownout, audit);
  }
}
