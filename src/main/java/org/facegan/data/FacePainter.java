package org.facegan.data;

import static org.facegan.data.FaceRecipe.mix;
import static org.facegan.data.FaceRecipe.scale;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * Paints a {@link FaceRecipe} with Java2D, back to front: background, shoulders, long hair, neck, ears, head,
 * wrinkles, nose, eyes, brows, mouth, mustache, hair cap, glasses. The caller sets up the transform from the
 * 100 x 100 face-unit canvas to pixels; the painter places the head (pose, tilt, scale) itself.
 *
 * <p>Each attribute gets a cue that survives downsampling to 32 px: thick dark frames (Eyeglasses), a wide open
 * mouth with teeth (Smiling), a dark bar over the mouth (Mustache), red lips (Wearing_Lipstick), a skin-coloured
 * crown (Bald), wrinkle lines (not Young), long hair beside the face and a pointed chin (not Male).
 */
final class FacePainter {
    /** Head half-width and half-height in face units, before the recipe's scale. */
    private static final double HW_MALE = 19.5, HW_FEMALE = 18.0, HH = 25.0;
    /** Head size on the canvas before the recipe's own scale: the head fills about half the image's width. */
    private static final double HEAD_SCALE = 1.15;
    private static final Color EYE_WHITE = new Color(244, 243, 238);
    private static final Color MOUTH_INSIDE = new Color(70, 18, 24);
    private static final Color TEETH = new Color(242, 240, 232);
    private static final Color LIPSTICK = new Color(205, 22, 45);
    private static final Color BLACK = new Color(10, 8, 8);

    private FacePainter() {}

    static void paint(Graphics2D g, FaceRecipe f) {
        g.setPaint(new GradientPaint(0, 0, f.background(), 0, 100, f.background2()));
        g.fill(new Rectangle2D.Double(0, 0, 100, 100));

        g.translate(50 + f.dx(), 46 + f.dy());
        g.rotate(f.tilt());
        g.scale(HEAD_SCALE * f.scale(), HEAD_SCALE * f.scale());

        double w = f.male() ? HW_MALE : HW_FEMALE;
        double fx = f.yaw() * 2.5; // features shift with yaw; the outline stays
        boolean hair = !f.bald();

        shoulders(g, f);
        if (hair && !f.male()) longHair(g, f, w);
        fill(g, new Rectangle2D.Double(-7.5, 12, 15, 24), scale(f.skin(), 0.84)); // neck
        fill(g, new Ellipse2D.Double(-w - 3, -7, 6.5, 12), scale(f.skin(), 0.9)); // ears
        fill(g, new Ellipse2D.Double(w - 3.5, -7, 6.5, 12), scale(f.skin(), 0.9));
        fill(g, head(f, w), f.skin());
        if (f.lipstick()) blush(g, f, fx);
        if (!f.young()) wrinkles(g, f, fx, w);
        nose(g, f, fx);
        eyes(g, f, fx);
        brows(g, f, fx);
        mouth(g, f, fx);
        if (f.mustache()) mustache(g, f, fx);
        if (hair) hairCap(g, f, w);
        else baldCrown(g, f, w);
        if (f.eyeglasses()) glasses(g, f, fx, w);
    }

    private static void shoulders(Graphics2D g, FaceRecipe f) {
        fill(g, new RoundRectangle2D.Double(-38, 33, 76, 60, 30, 30), f.shirt());
        Path2D neckline = new Path2D.Double();
        neckline.moveTo(-8, 32);
        neckline.lineTo(8, 32);
        neckline.lineTo(0, 42);
        neckline.closePath();
        fill(g, neckline, scale(f.skin(), 0.84));
    }

    /** Hair that falls beside the face to the shoulders (not Male). */
    private static void longHair(Graphics2D g, FaceRecipe f, double w) {
        double half = w + 5 + 3 * f.hairVolume();
        double bottom = 26 + 14 * f.hairLength();
        Area back = new Area(new RoundRectangle2D.Double(-half, -HH - 3, 2 * half, bottom + HH + 3, 2 * half, 22));
        fill(g, back, scale(f.hair(), 0.9));
    }

    /** Egg-shaped head; a male jaw is wider and flatter at the chin. */
    private static Shape head(FaceRecipe f, double w) {
        double chin = f.male() ? (0.36 + 0.16 * f.jaw()) * w : 0.1 * f.jaw() * w;
        double corner = f.male() ? 0.97 * w : 0.62 * w;
        Path2D p = new Path2D.Double();
        p.moveTo(0, -HH);
        p.curveTo(0.56 * w, -HH, w, -0.6 * HH, w, -0.1 * HH);
        p.curveTo(w, 0.45 * HH, corner, 0.9 * HH, chin, HH);
        p.lineTo(-chin, HH);
        p.curveTo(-corner, 0.9 * HH, -w, 0.45 * HH, -w, -0.1 * HH);
        p.curveTo(-w, -0.6 * HH, -0.56 * w, -HH, 0, -HH);
        p.closePath();
        return p;
    }

    private static void blush(Graphics2D g, FaceRecipe f, double fx) {
        Color pink = new Color(230, 80, 100, 55);
        fill(g, new Ellipse2D.Double(fx - 15, 3, 8, 5), pink);
        fill(g, new Ellipse2D.Double(fx + 7, 3, 8, 5), pink);
    }

    /** Forehead lines, nasolabial folds, crow's feet and bags under the eyes. */
    private static void wrinkles(Graphics2D g, FaceRecipe f, double fx, double w) {
        g.setColor(scale(f.skin(), 0.5));
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double y : new double[] {-11, -13.5, -16}) {
            g.draw(new QuadCurve2D.Double(fx - 8, y + 0.8, fx, y - 1.2, fx + 8, y + 0.8));
        }
        for (int side = -1; side <= 1; side += 2) {
            g.draw(new QuadCurve2D.Double(fx + side * 4.5, 5.5, fx + side * 9.5, 9, fx + side * 9.5, 16.5));
            double ex = fx + side * 8.5;
            g.draw(new QuadCurve2D.Double(ex - 3, 2.2, ex, 3.8, ex + 3, 2.2));
            double cx = ex + side * 5;
            g.draw(new Line2D.Double(cx, -2.5, cx + side * 2.5, -4));
            g.draw(new Line2D.Double(cx, -1, cx + side * 2.5, 0.5));
        }
    }

    private static void nose(Graphics2D g, FaceRecipe f, double fx) {
        g.setColor(scale(f.skin(), 0.7));
        g.setStroke(new BasicStroke(1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D p = new Path2D.Double();
        p.moveTo(fx * 1.1 + 0.5, -1);
        p.lineTo(fx * 1.2 + 2.2, 7);
        p.lineTo(fx * 1.2 - 1.5, 8.2);
        g.draw(p);
    }

    private static void eyes(Graphics2D g, FaceRecipe f, double fx) {
        Color lid = scale(f.skin(), 0.35);
        for (int side = -1; side <= 1; side += 2) {
            double ex = fx + side * 8.5, ey = -2;
            fill(g, new Ellipse2D.Double(ex - 4, ey - 2.3, 8, 4.6), EYE_WHITE);
            double ix = ex + f.yaw() * 0.8;
            fill(g, new Ellipse2D.Double(ix - 2.1, ey - 2.1, 4.2, 4.2), f.iris());
            fill(g, new Ellipse2D.Double(ix - 1, ey - 1, 2, 2), BLACK);
            g.setColor(lid);
            g.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Double(ex - 4.3, ey + 0.3, ex, ey - 3.6, ex + 4.3, ey + 0.3));
        }
    }

    /** Thick and straight for men, thin and arched for women. */
    private static void brows(Graphics2D g, FaceRecipe f, double fx) {
        g.setColor(mix(f.hair(), BLACK, 0.45));
        g.setStroke(new BasicStroke(f.male() ? 3.0f : 1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int side = -1; side <= 1; side += 2) {
            double bx = fx + side * 8.5;
            if (f.male()) {
                g.draw(new QuadCurve2D.Double(bx - 4.6, -7.2, bx, -8.8, bx + 4.6, -7.6));
            } else {
                g.draw(new QuadCurve2D.Double(bx - 4.5, -7.3, bx + side * 0.5, -11, bx + 4.5, -7.6));
            }
        }
    }

    /** Smiling: a wide open mouth curving up, teeth showing. Otherwise a flat closed line. */
    private static void mouth(Graphics2D g, FaceRecipe f, double fx) {
        Color lip = f.lipstick() ? LIPSTICK : mix(f.skin(), new Color(150, 60, 60), 0.35);
        double mx = fx * 1.1;
        if (f.smiling()) {
            Path2D m = new Path2D.Double();
            m.moveTo(mx - 10.5, 12);
            m.quadTo(mx, 15.5, mx + 10.5, 12);
            m.quadTo(mx, 29, mx - 10.5, 12);
            m.closePath();
            fill(g, m, MOUTH_INSIDE);
            Shape clip = g.getClip();
            g.clip(m);
            fill(g, new Rectangle2D.Double(mx - 11, 11, 22, 7.5), TEETH);
            g.setClip(clip);
            g.setColor(lip);
            g.setStroke(new BasicStroke(f.lipstick() ? 2.4f : 1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(m);
        } else if (f.lipstick()) {
            Path2D lips = new Path2D.Double();
            lips.moveTo(mx - 7.5, 15.2);
            lips.quadTo(mx - 3.5, 12.2, mx, 13.4);
            lips.quadTo(mx + 3.5, 12.2, mx + 7.5, 15.2);
            lips.quadTo(mx, 20.5, mx - 7.5, 15.2);
            lips.closePath();
            fill(g, lips, lip);
            g.setColor(scale(lip, 0.5));
            g.setStroke(new BasicStroke(0.7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(mx - 7, 15.2, mx + 7, 15.2));
        } else {
            fill(g, new Ellipse2D.Double(mx - 5, 14.8, 10, 3.2), mix(f.skin(), lip, 0.6));
            g.setColor(scale(lip, 0.6));
            g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(mx - 6.5, 15.2, mx + 6.5, 15.2));
        }
    }

    /** A dark bar between nose and mouth. */
    private static void mustache(Graphics2D g, FaceRecipe f, double fx) {
        double mx = fx * 1.1;
        Path2D p = new Path2D.Double();
        p.moveTo(mx - 10.5, 14);
        p.curveTo(mx - 9.5, 9.2, mx - 3, 8.4, mx, 9.4);
        p.curveTo(mx + 3, 8.4, mx + 9.5, 9.2, mx + 10.5, 14);
        p.quadTo(mx + 5, 11.8, mx, 12.6);
        p.quadTo(mx - 5, 11.8, mx - 10.5, 14);
        p.closePath();
        fill(g, p, mix(f.hair(), BLACK, 0.72));
    }

    /** Hair on top of the head; the forehead is cut out of it, lower at the sides (sideburns / temples). */
    private static void hairCap(Graphics2D g, FaceRecipe f, double w) {
        double grow = f.male() ? 1.5 + 1.5 * f.hairVolume() : 3.5 + 2.5 * f.hairVolume();
        double bottom = f.male() ? -3 : 2;
        Area cap = new Area(new Ellipse2D.Double(-w - grow, -HH - grow, 2 * (w + grow), 2 * (HH + grow) - 10));
        cap.intersect(new Area(new Rectangle2D.Double(-50, -50, 100, 50 + bottom)));
        double part = f.part() * 3;
        cap.subtract(new Area(new Ellipse2D.Double(part - (w - 3), -13.5, 2 * (w - 3), 26)));
        fill(g, cap, f.hair());
    }

    /** A bare crown with a highlight; sometimes a fringe of hair above the ears. */
    private static void baldCrown(Graphics2D g, FaceRecipe f, double w) {
        fill(g, new Ellipse2D.Double(-10, -23.5, 14, 8), new Color(255, 255, 255, 90));
        if (f.sideTufts()) {
            Area tufts = new Area(new Ellipse2D.Double(-w - 1.5, -10, 5, 11));
            tufts.add(new Area(new Ellipse2D.Double(w - 3.5, -10, 5, 11)));
            fill(g, tufts, f.hair());
        }
    }

    /** Thick dark frames around both eyes, a bridge and temples to the ears. */
    private static void glasses(Graphics2D g, FaceRecipe f, double fx, double w) {
        g.setColor(f.frame());
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double left = fx - 8.5, right = fx + 8.5;
        g.draw(new RoundRectangle2D.Double(left - 6, -6.5, 12, 9, 5, 5));
        g.draw(new RoundRectangle2D.Double(right - 6, -6.5, 12, 9, 5, 5));
        g.draw(new QuadCurve2D.Double(left + 6, -3, fx, -4.8, right - 6, -3));
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(left - 6, -4, -w + 0.5, -4.5));
        g.draw(new Line2D.Double(right + 6, -4, w - 0.5, -4.5));
    }

    private static void fill(Graphics2D g, Shape s, Color c) {
        g.setColor(c);
        g.fill(s);
    }
}
