/** Time under the test's control: {@link io.catchment.testing.time.MutableClock}. */
package io.catchment.testing.time;
