(** * Hardswish's even part is class-identifiable, and claim 5 for
    Hardswish (BLUEPRINT §6.3 criterion (ii), instance Hardswish; Cor 6.3).

    Hardswish(z) = z·relu6(z + 3)/6 = z/2 + e(z) with e even; e is z²/6 on
    |z| ≤ 3 and |z|/2 beyond.  We exhibit e in the limit-free kink form of
    [kink_type] (KinkClass.v):
      e(z) = h(z) + κ(|z − 3| + |z + 3|),  κ = −1/4,
      h(z) = (q(z + 3) − q(z − 3))/6 − z,  q(y) = relu(y)²,
    and bound the second differences of h by (1/3)t²: q is convex with
    0 ≤ q(b + t) + q(b − t) − 2q(b) ≤ 2t² (q(y) + q(−y) = y²).  Everything is
    exact algebra over any real field; no limits. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs SignFlip GenericIff KinkClass.
From SkipAbsorption Require Import Hardswish.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section HardswishKink.
Variable R : realFieldType.
Implicit Types a b s t y z : R.

Lemma relu_pos y : 0 <= y -> relu y = y.
Proof. by move=> y0; rewrite /relu (max_idPl y0). Qed.

Lemma relu_neg y : y <= 0 -> relu y = 0.
Proof. by move=> y0; rewrite /relu (max_idPr y0). Qed.

(** q(y) = relu(y)². *)
Definition rsq y : R := relu y ^+ 2.

Lemma mul_reluE y : y * relu y = rsq y.
Proof.
rewrite /rsq expr2; case: (lerP 0 y) => [y0 | y0]; first by rewrite relu_pos.
by rewrite relu_neg ?mulr0 ?mul0r // ltW.
Qed.

Lemma relu_twice y : relu y *+ 2 = y + `|y|.
Proof.
case: (lerP 0 y) => [y0 | y0]; first by rewrite relu_pos // ger0_norm ?mulr2n.
by rewrite relu_neg ?mul0rn ?ltr0_norm ?subrr // ltW.
Qed.

Lemma rsq_sum y : rsq y + rsq (- y) = y ^+ 2.
Proof.
rewrite /rsq; case: (lerP 0 y) => [y0 | y0].
  by rewrite relu_pos // relu_neg ?oppr_le0 // expr0n addr0.
rewrite relu_neg ?(ltW y0) // relu_pos ?oppr_ge0 ?(ltW y0) //.
by rewrite sqrrN expr0n add0r.
Qed.

(** Tangent inequality: q is convex, with slope 2 relu(y) at y. *)
Lemma rsq_tangent y s : rsq y + relu y * s *+ 2 <= rsq (y + s).
Proof.
case: (lerP y 0) => [y0 | y0].
  by rewrite /rsq relu_neg // mul0r mul0rn expr0n add0r sqr_ge0.
rewrite /rsq (relu_pos (ltW y0)); case: (lerP 0 (y + s)) => [ys | ys].
  by rewrite relu_pos // sqrrD ler_addl sqr_ge0.
rewrite relu_neg ?(ltW ys) // expr0n expr2 -mulrnAr -mulrDr.
rewrite pmulr_rle0 // mulr2n addrA ltW // ltr_naddr //.
by rewrite -(ler_add2l y) addr0 ltW // (lt_trans ys).
Qed.

Lemma sdiff_rsq_ge0 b t : 0 <= sdiff rsq b t.
Proof.
rewrite /sdiff subr_ge0.
have := ler_add (rsq_tangent b t) (rsq_tangent b (- t)).
by rewrite mulrN mulNrn addrACA subrr addr0 mulrDl mul1r.
Qed.

Lemma sdiff_opp (g : R -> R) b t :
  sdiff (fun y => g (- y)) b t = sdiff g (- b) t.
Proof. by rewrite /sdiff opprD opprB (addrC t) [g (- b - t) + _]addrC. Qed.

Lemma sdiff_shift (g : R -> R) c b t :
  sdiff (fun y => g (y + c)) b t = sdiff g (b + c) t.
Proof. by rewrite /sdiff (addrAC b t) (addrAC b (- t)). Qed.

Lemma sdiff_sq b t : sdiff (fun y => y ^+ 2) b t = t ^+ 2 *+ 2.
Proof.
rewrite /sdiff sqrrD sqrrB addrACA (addrACA (b ^+ 2)) subrr addr0.
by rewrite mulr_natl -!mulr2n addrAC subrr add0r.
Qed.

Lemma sdiff_rsq_le b t : sdiff rsq b t <= t ^+ 2 *+ 2.
Proof.
have E : rsq =1 fun y => y ^+ 2 + (-1) * rsq (- y).
  by move=> y; rewrite mulN1r -(rsq_sum y) addrK.
have -> : sdiff rsq b t = sdiff (fun y => y ^+ 2 + (-1) * rsq (- y)) b t.
  by rewrite /sdiff (E (b + t)) (E (b - t)) (E b).
rewrite sdiffD sdiffZ sdiff_sq sdiff_opp mulN1r ler_subl_addr ler_addl.
exact: sdiff_rsq_ge0.
Qed.
End HardswishKink.
Arguments rsq {R} y.

Section HardswishEven.
Variable R : realFieldType.
Implicit Types a t y z : R.
Local Notation three := (3%:R : R).
Local Notation six := (6%:R : R).

Lemma relu6E y : relu6 y = relu y - relu (y - six).
Proof.
have six_ge0 : 0 <= six by rewrite ler0n.
case: (lerP y 0) => [y0 | y0].
  rewrite relu6_lo // !relu_neg ?subrr // subr_le0.
  exact: le_trans six_ge0.
case: (lerP y six) => [y6 | y6].
  rewrite relu6_mid ?(ltW y0) // relu_pos ?(ltW y0) //.
  by rewrite relu_neg ?subr0 // subr_le0.
rewrite relu6_hi ?(ltW y6) // !relu_pos ?subr_ge0 ?(ltW y6) //.
  by rewrite opprB addrC subrK.
exact: le_trans six_ge0 (ltW y6).
Qed.

Lemma relu_half y : relu y = 2%:R^-1 * (y + `|y|).
Proof. by rewrite -relu_twice -(mulr_natl (relu y)) mulKf // pnatr_eq0. Qed.

Lemma six_minus z : z + three - six = z - three.
Proof. by rewrite -[six]/((3 + 3)%N%:R) natrD opprD addrA addrK. Qed.

(** z·relu6(z + 3) = (q(z + 3) − q(z − 3)) − 3(relu(z + 3) + relu(z − 3)). *)
Lemma z_relu6 z : z * relu6 (z + three) =
  (rsq (z + three) - rsq (z - three))
  - three * (relu (z + three) + relu (z - three)).
Proof.
rewrite relu6E six_minus mulrBr.
have -> : z * relu (z + three) = (z + three - three) * relu (z + three).
  by rewrite addrK.
have -> : z * relu (z - three) = (z - three + three) * relu (z - three).
  by rewrite subrK.
rewrite mulrBl (mul_reluE (z + three)) (mulrDl (z - three)).
rewrite (mul_reluE (z - three)).
by rewrite mulrDr !opprD addrACA.
Qed.

Lemma relu_pair z : relu (z + three) + relu (z - three) =
  z + 2%:R^-1 * (`|z - three| + `|z + three|).
Proof.
rewrite !relu_half -mulrDr addrACA [z + three + _]addrACA subrr addr0.
rewrite mulrDr -mulr2n -(mulr_natl z) mulKf ?pnatr_eq0 //.
by rewrite [`|z + _| + _]addrC.
Qed.

(** The kink form of Hardswish's even part: κ = −3/(6·2) = −1/4 and
    h(z) = (q(z + 3) − q(z − 3))/6 − 3z/6 − z/2, i.e.
    (q(z + 3) − q(z − 3))/6 − z. *)
Definition hs_kappa : R := - (three * 2%:R^-1 / six).
Definition hs_h z : R :=
  (rsq (z + three) - rsq (z - three)) / six - three * z / six - 2%:R^-1 * z.
Definition hs_even z : R :=
  hs_h z + hs_kappa * (`|z - three| + `|z + three|).

(** Hardswish(z) = z/2 + e(z). *)
Lemma hardswish_split z : hardswish z = 1 / 2%:R * z + hs_even z.
Proof.
rewrite /hardswish z_relu6 relu_pair /hs_even /hs_h /hs_kappa mul1r.
rewrite mulrBl mulrDr mulrDl opprD addrA [RHS]addrC.
set Q := _ / six; set a := three * z / six; set h := 2%:R^-1 * z.
set K := `|_| + `|_|.
rewrite (addrAC Q) -(addrA (Q - a - h)) (addrC _ h) addrA subrK.
by rewrite mulNr addrAC mulrA mulrAC.
Qed.

(** e is determined by Hardswish: e(z) = Hardswish(z) − z/2 ... *)
Lemma hs_evenE z : hs_even z = hardswish z - 1 / 2%:R * z.
Proof. by rewrite hardswish_split addrC addKr. Qed.

Lemma half_twice z : 1 / 2%:R * z + 1 / 2%:R * z = z.
Proof.
by rewrite -mulrDl -mulr2n -mulr_natr mul1r mulVf ?pnatr_eq0 ?mul1r.
Qed.

(** ... and is even (from Hardswish(z) − Hardswish(−z) = z). *)
Lemma hs_even_even z : hs_even (- z) = hs_even z.
Proof.
have odd := hardswish_odd z; rewrite mul1r in odd.
rewrite !hs_evenE; have -> : hardswish (- z) = hardswish z - z.
  by apply/eqP; rewrite eq_sym subr_eq addrC -subr_eq odd.
rewrite mulrN opprK -addrA; congr (_ + _).
by rewrite -[X in - X](half_twice z) opprD subrK.
Qed.

(** Second differences are linear and kill affine maps. *)
Lemma sdiff_ext (f g : R -> R) a t :
  f =1 g -> sdiff f a t = sdiff g a t.
Proof. by move=> fg; rewrite /sdiff !fg. Qed.

Lemma sdiffB (f g : R -> R) a t :
  sdiff (fun y => f y - g y) a t = sdiff f a t - sdiff g a t.
Proof.
have := sdiffD f (fun y => (-1) * g y) a t.
rewrite sdiffZ mulN1r => <-.
by apply: sdiff_ext => y; rewrite mulN1r.
Qed.

Lemma sdiffM (f : R -> R) c a t :
  sdiff (fun y => f y * c) a t = sdiff f a t * c.
Proof.
by rewrite mulrC -sdiffZ; apply: sdiff_ext => y; rewrite mulrC.
Qed.

Lemma sdiff_lin c a t : sdiff (fun y => c * y) a t = 0.
Proof.
rewrite sdiffZ /sdiff addrACA subrr addr0 mulr_natl mulr2n subrr.
by rewrite mulr0.
Qed.

Lemma sdiff_hs_h a t : sdiff hs_h a t =
  (sdiff rsq (a + three) t - sdiff rsq (a - three) t) / six.
Proof.
have -> : hs_h = fun y => (fun y => (fun y =>
    rsq (y + three) - rsq (y - three)) y / six - three * y / six) y
    - 2%:R^-1 * y by [].
rewrite sdiffB sdiff_lin subr0 sdiffB sdiffM.
rewrite (sdiffM (fun y => three * y)) sdiff_lin mul0r subr0 sdiffB.
by rewrite sdiff_shift (sdiff_shift rsq (- three)).
Qed.

(** |h(a + t) + h(a − t) − 2h(a)| ≤ (2/6) t². *)
Lemma hs_h_C11 a t :
  `|hs_h (a + t) + hs_h (a - t) - 2%:R * hs_h a| <= 2%:R / six * t ^+ 2.
Proof.
have -> : hs_h (a + t) + hs_h (a - t) - 2%:R * hs_h a = sdiff hs_h a t by [].
have six_gt0 : 0 < six by rewrite ltr0n.
rewrite sdiff_hs_h normrM [`|six^-1|]gtr0_norm ?invr_gt0 // mulrAC.
rewrite ler_pmul2r ?invr_gt0 // mulr_natl ler_norml; apply/andP; split.
  rewrite -(sub0r (t ^+ 2 *+ 2)); apply: ler_sub; first exact: sdiff_rsq_ge0.
  exact: sdiff_rsq_le.
rewrite -(subr0 (t ^+ 2 *+ 2)); apply: ler_sub; first exact: sdiff_rsq_le.
exact: sdiff_rsq_ge0.
Qed.

Lemma hs_kappa_neq0 : hs_kappa != 0.
Proof. by rewrite oppr_eq0 !mulf_neq0 ?invr_eq0 ?pnatr_eq0. Qed.

(** κ = −1/4: the jump of e' at 3 is 1/2 − 1 = −1/2 = 2κ. *)
Lemma hs_kappaE : hs_kappa = - 4%:R^-1.
Proof.
congr (- _); rewrite mulrAC -[six]/((3 * 2)%N%:R) natrM invfM mulrA.
by rewrite mulfV ?pnatr_eq0 // mul1r -invfM -natrM.
Qed.

(** Hardswish's even part is of kink type (z0 = 3, κ = −1/4, L = 1/3). *)
Theorem hardswish_kink_type : kink_type hs_even.
Proof.
exists hs_h, hs_kappa, three, (2%:R / six); split.
- exact: hs_kappa_neq0.
- by rewrite ltr0n.
- by rewrite divr_ge0 ?ler0n.
- by [].
- exact: hs_h_C11.
Qed.
End HardswishEven.
Arguments hs_even {R} z.

(** hardswish-class-identifiable: Hardswish's even part is
    class-identifiable (over every real field, in particular over ℝ). *)
Theorem hardswish_class_identifiable (R : realFieldType) :
  class_identifiable (@hs_even R).
Proof. exact: kink_class_identifiable (hardswish_kink_type R). Qed.

(** Class-identifiability depends on e only pointwise. *)
Lemma class_identifiable_ext (R : realFieldType) (e e' : R -> R) :
  e =1 e' -> class_identifiable e -> class_identifiable e'.
Proof.
move=> ee' ci d I P v N K0 v0 vd sumE; apply: (ci d I P v N K0 v0 vd) => x.
rewrite (eq_bigr (fun k => e' (dot (v k) x) *: N k)) ?sumE // => k _.
by rewrite ee'.
Qed.

Lemma hs_even_half (R : realFieldType) (z : R) :
  hs_even z = (hardswish z + hardswish (- z)) / 2%:R.
Proof.
rewrite !hardswish_split hs_even_even mulrN addrACA subrr add0r.
by rewrite -mulr2n -(mulr_natr (hs_even z)) mulfK // pnatr_eq0.
Qed.

(** hardswish-class-identifiable, stated on Hardswish itself: its even
    part e(z) = (Hardswish(z) + Hardswish(−z))/2 is class-identifiable. *)
Theorem hardswish_even_class_identifiable (R : realFieldType)
    (e : R -> R) :
  (forall z, e z = (hardswish z + hardswish (- z)) / 2%:R) ->
  class_identifiable e.
Proof.
move=> eE; apply: (@class_identifiable_ext R hs_even e).
  by move=> z; rewrite eE hs_even_half.
exact: hardswish_class_identifiable.
Qed.

(** Claim 5 for Hardswish (generic-iff, class-identifiable branch, c = 1):
    under (G0) and (G-class), any d, n, A, a Hardswish block is absorbable
    at some width m ≤ n iff some S satisfies W_down D_S W_up = −A. *)
Theorem generic_iff_hardswish (R : realFieldType) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  G0 Wd Wu -> Gclass Wu ->
  (exists2 m, (m <= n)%N & absorbable (@hardswish R) A Wd Wu m) <->
  exists S, index_condition 1 A Wd Wu S.
Proof.
move=> G0_ Gclass_; apply: (generic_iff_class (e := hs_even)) => //.
- exact: hardswish_split.
- exact: hs_even_even.
- exact: hardswish_class_identifiable.
- exact: oner_neq0.
Qed.
