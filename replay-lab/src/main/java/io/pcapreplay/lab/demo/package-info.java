/**
 * The demo ({@link io.pcapreplay.lab.demo.Demo}, run by scripts/demo.sh) and the lab setup it shares with the JMeter
 * lab tests: nginx as recorded, the intercept agent jar, JMeter's headless command line, reading CSV JTL files.
 */
package io.pcapreplay.lab.demo;
