/**
 * The recovery core as a Jakarta Servlet 6 filter: {@link
 * dev.brownout.recover.servlet.RecoverFilter}. Needs {@code jakarta.servlet-api} at run time, which
 * the container provides.
 */
@NullMarked
package dev.brownout.recover.servlet;

import org.jspecify.annotations.NullMarked;
