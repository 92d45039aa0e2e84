/**
 * The connector SPI: the vocabulary shared by connectors and the engines that drive them
 * (source types now; capabilities, checkpoints and failures as connectors arrive).
 */
package io.catchment.connector;
