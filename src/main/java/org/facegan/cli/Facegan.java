package org.facegan.cli;
public class Facegan { public static void main(String[] a) { System.out.println(org.tensorflow.TensorFlow.version()); } }
