/**
 * JMH benchmarks of Brownout beside the libraries users would pick instead, one class per question,
 * one method per library. Each peer is set up the way its own documentation recommends; the work
 * behind every library is the same one-field read.
 */
package dev.brownout.benchmarks;
