/**
 * The admin of a Brownout runtime: {@link dev.brownout.admin.AdminApi} answers the JSON API, the
 * live event stream and the admin page; {@link dev.brownout.admin.AdminHandler} and {@link
 * dev.brownout.admin.AdminServer} serve it on the JDK {@code HttpServer}, {@link
 * dev.brownout.admin.AdminServlet} in a Servlet 6 container; {@link
 * dev.brownout.admin.RecentIncidents} keeps the incidents it shows.
 */
@NullMarked
package dev.brownout.admin;

import org.jspecify.annotations.NullMarked;
