(** * Criterion (i′) of BLUEPRINT §6.3 (derivative-criterion).

    If e is C^∞ near 0 and e^{(2m)}(0) ≠ 0 for infinitely many m, then e
    is class-identifiable ([class_identifiable], Defs.v, over Coq's reals).

    Derivatives are Coquelicot's [Derive_n] / [ex_derive_n]: Coquelicot
    ships exactly the three facts the proof differentiates with (the n-th
    derivative of a sum [Derive_n_plus], of a scalar multiple
    [Derive_n_scal_l], and of a composition with t ↦ a t
    [Derive_n_comp_scal]), and its power-series library gives the
    derivatives of a power series at 0 ([Derive_n_coef]), which Gelu.v
    uses; MathComp-Analysis 0.6.0 has no n-th derivative of a composition.

    Proof: restrict the identity to the line x = t w of Lemma R
    ([ridge_direction], Ridge.v), take the (2m)-th derivative at t = 0
    coordinatewise: Σ_k N_k (v_k·w)^{2m} e^{(2m)}(0) = 0, so
    Σ_k N_k ((v_k·w)²)^m = 0 for infinitely many m, and Lemma V
    ([positive_vandermonde], Ridge.v) gives N_k = 0. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From Coquelicot Require Import Coquelicot.
From SkipAbsorption Require Import Defs Ridge.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

(** e is C^∞ on a neighbourhood of 0. *)
Definition smooth_at0 (f : R -> R) : Prop :=
  locally 0%coq_R (fun y => forall n, ex_derive_n f n y).

(** e^{(2m)}(0) ≠ 0 for infinitely many m. *)
Definition inf_even_derivs (f : R -> R) : Prop :=
  forall M, exists2 m, (M <= m)%nat & Derive_n f (2 * m)%nat 0 <> 0.

Lemma smooth_plus f g :
  smooth_at0 f -> smooth_at0 g -> smooth_at0 (fun t => f t + g t).
Proof.
move=> /locally_locally Hf /locally_locally Hg.
apply: filter_imp (filter_and _ _ Hf Hg) => y [Hfy Hgy] n.
by apply: ex_derive_n_plus; [apply: filter_imp Hfy | apply: filter_imp Hgy];
  move=> z Hz k _; exact: Hz.
Qed.

Lemma smooth_scal_l f c : smooth_at0 f -> smooth_at0 (fun t => c * f t).
Proof.
by apply: filter_imp => y Hy n; apply: ex_derive_n_scal_l.
Qed.

Lemma smooth_comp_scal f a : smooth_at0 f -> smooth_at0 (fun t => f (a * t)).
Proof.
move=> /locally_locally Hf.
have Hc : filterlim (fun t => a * t) (locally 0%coq_R) (locally 0%coq_R).
  have := continuous_mult (fun _ => a) id 0%coq_R (continuous_const _ _)
    (continuous_id _).
  by rewrite /continuous /mult /= Rmult_0_r.
have H2 : locally 0%coq_R
    (fun t => locally (a * t) (fun y => forall n, ex_derive_n f n y)).
  exact: Hc _ Hf.
apply: filter_imp H2 => y Hy n; apply: ex_derive_n_comp_scal.
by apply: filter_imp Hy => z Hz k _; exact: Hz.
Qed.

Lemma smooth_const c : smooth_at0 (fun _ => c).
Proof. by apply: filter_forall => y n; apply: ex_derive_n_const. Qed.

Lemma Derive_n_const0 n x : Derive_n (fun _ => 0) n x = 0.
Proof. by case: n => [//|n]; apply: Derive_n_const. Qed.

Section Ray.
Variable e : R -> R.
Hypothesis e_smooth : smooth_at0 e.

Lemma ray_sum (I : Type) (s : seq I) (P : pred I) (c a : I -> R) :
  smooth_at0 (fun t => \sum_(k <- s | P k) c k * e (a k * t)) /\
  forall n, Derive_n (fun t => \sum_(k <- s | P k) c k * e (a k * t)) n 0 =
            \sum_(k <- s | P k) c k * (a k ^+ n * Derive_n e n 0).
Proof.
elim: s => [|k s [IHs IHd]].
  split=> [|n]; last first.
    by rewrite big_nil -[RHS](Derive_n_const0 n 0); apply: Derive_n_ext => t;
      rewrite big_nil.
  by apply: filter_imp (smooth_const 0) => y Hy n;
    apply: ex_derive_n_ext (Hy n) => t; rewrite big_nil.
case Pk : (P k); last first.
  split=> [|n]; last first.
    by rewrite big_cons Pk -IHd; apply: Derive_n_ext => t; rewrite big_cons Pk.
  by apply: filter_imp IHs => y Hy n;
    apply: ex_derive_n_ext (Hy n) => t; rewrite big_cons Pk.
have Hk := smooth_scal_l (c k) (smooth_comp_scal (a k) e_smooth).
split=> [|n].
  by apply: filter_imp (smooth_plus Hk IHs) => y Hy n;
    apply: ex_derive_n_ext (Hy n) => t; rewrite big_cons Pk.
rewrite big_cons Pk -IHd -(Derive_n_ext (fun t => c k * e (a k * t) +
  \sum_(j <- s | P j) c j * e (a j * t))); last first.
  by move=> t; rewrite big_cons Pk.
rewrite Derive_n_plus; last first.
- by apply: filter_imp IHs => z Hz j _; exact: Hz.
- by apply: filter_imp Hk => z Hz j _; exact: Hz.
rewrite Derive_n_scal_l Derive_n_comp_scal ?RpowE; last first.
  have := e_smooth; rewrite /smooth_at0 Rmult_0_r.
  by apply: filter_imp => z Hz j _; exact: Hz.
by rewrite Rmult_0_r.
Qed.

(** The identity on a line, differentiated n ≥ 1 times at 0. *)
Lemma ray_derivs (I : finType) (P : pred I) (c a : I -> R) (K : R) :
  (forall t, \sum_(k | P k) c k * e (a k * t) + K = 0) ->
  forall n, (0 < n)%nat ->
  \sum_(k | P k) c k * (a k ^+ n * Derive_n e n 0) = 0.
Proof.
move=> line [//|n] _; have [Hs Hd] := ray_sum (index_enum I) P c a.
pose f t := \sum_(k | P k) c k * e (a k * t).
have E := @Derive_n_plus f (fun _ => K) n.+1 0.
rewrite -Hd; transitivity (Derive_n (fun t => f t + K) n.+1 0).
  rewrite E ?Derive_n_const ?Rplus_0_r //.
  - by apply: filter_imp Hs => z Hz j _; exact: Hz.
  - by apply: filter_imp (smooth_const K) => z Hz j _; exact: Hz.
by rewrite (Derive_n_ext _ (fun _ => 0)) ?Derive_n_const0.
Qed.

End Ray.

Lemma dotZr d (u w : 'cV[R]_d) (t : R) : dot u (t *: w) = dot u w * t.
Proof.
rewrite /dot mulr_suml; apply: eq_bigr => i _.
by rewrite mxE mulrCA mulrC.
Qed.

(** Criterion (i′) (derivative-criterion). *)
Theorem derivative_criterion (e : R -> R) :
  smooth_at0 e -> inf_even_derivs e -> class_identifiable e.
Proof.
move=> e_sm e_inf d I P v N K0 v_neq0 v_cls ident k Pk.
have [w [vw_neq0 vw_sep]] := ridge_direction v_neq0 v_cls.
apply/matrixP => i j; rewrite ord1 mxE {j}.
pose a k := dot (v k) w.
have line t : \sum_(k | P k) N k i 0 * e (a k * t) + K0 i 0 = 0.
  have := congr1 (fun x : 'cV[R]_d => x i 0) (ident (t *: w)).
  rewrite !mxE summxE /= => E; rewrite -[RHS]E; congr (_ + _).
  apply: eq_bigr => k' _.
  by rewrite mxE dotZr mulrC.
apply: (@positive_vandermonde I P (fun k => N k i 0) (fun k => a k ^+ 2)) Pk.
- move=> k' Pk'; rewrite lt_def sqr_ge0 andbT expf_neq0 //.
  exact: vw_neq0.
- move=> k1 k2 P1 P2 eq12; apply/eqP; apply: contraT => neq.
  by have := vw_sep _ _ P1 P2 neq; rewrite /a eq12 eqxx.
move=> M; have [m Mm Dm] := e_inf M.+1; exists m; first exact: ltnW.
have := ray_derivs e_sm line (n := (2 * m)%nat).
rewrite muln_gt0 /= (leq_trans _ Mm) // => /(_ isT).
under eq_bigr do rewrite mulrA exprM.
rewrite -mulr_suml => /eqP; rewrite mulf_eq0 => /orP [/eqP //|/eqP D0].
by case: Dm.
Qed.

(** Criterion (i) (Lemma 6.3 (i)) as a corollary: e equal near 0 to a
    power series Σ a_n z^n of positive radius with a_{2m} ≠ 0 for
    infinitely many m is class-identifiable. *)
Theorem analytic_criterion (e : R -> R) (a : nat -> R) :
  Rbar_lt (Finite 0) (CV_radius a) ->
  locally 0%coq_R (fun y => e y = PSeries a y) ->
  (forall M, exists2 m, (M <= m)%nat & a (2 * m)%nat <> 0) ->
  class_identifiable e.
Proof.
move=> ra ea a_inf.
have rad : locally 0%coq_R (fun y => Rbar_lt (Rabs y) (CV_radius a)).
  case: (CV_radius a) ra => [r /= r_pos|_|//].
    exists (mkposreal _ r_pos) => y; rewrite /ball /= /AbsRing_ball /abs /=.
    by rewrite /minus /plus /opp /= Ropp_0 Rplus_0_r.
  by exists (mkposreal _ Rlt_0_1).
apply: derivative_criterion.
  have ea2 := ea; move/locally_locally: ea2 => ea2.
  rewrite /smooth_at0; apply: filter_imp (filter_and _ _ ea2 rad).
  move=> y [ey ry] n.
  apply: (ex_derive_n_ext_loc (PSeries a)); last exact: ex_derive_n_PSeries.
  by apply: filter_imp ey => z ->.
move=> M; have [m Mm am] := a_inf M; exists m => // D0.
have := Derive_n_ext_loc _ _ (2 * m)%nat _ ea.
rewrite D0 Derive_n_coef // => /esym /Rmult_integral [//|].
exact: INR_fact_neq_0.
Qed.

(** The hypothesis "infinitely many m" cannot be dropped: e(z) = z² is C^∞
    with e''(0) = 2 ≠ 0 (and e^{(2m)}(0) = 0 for m ≥ 2), and it is not
    class-identifiable.  Witness in R²: v = (1,0), (0,1), (1,1), (1,−1)
    (pairwise distinct classes), N_k = c_k (1,0)ᵀ with c = (−2,−2,1,1):
    (x+y)² + (x−y)² − 2x² − 2y² = 0. *)
Section Square.
Let va (k : 'I_4) : R := if val k == 1%nat then 0 else 1.
Let vb (k : 'I_4) : R :=
  if val k == 0%nat then 0 else if val k == 3%nat then -1 else 1.
Let cf (k : 'I_4) : R := if (val k <= 1)%nat then - 2%:R else 1.
Let v (k : 'I_4) : 'cV[R]_2 := \col_i (if i == 0 then va k else vb k).
Let N (k : 'I_4) : 'cV[R]_2 := cf k *: delta_mx 0 0.

Lemma sq_identity (x y t : R) : t = (1 + 1)%coq_R ->
  (x * x * - t + (y * y * - t + ((x + y) * (x + y) + (x + - y) * (x + - y))) =
   0)%coq_R.
Proof. by move=> ->; ring. Qed.

Lemma dot_v k (x : 'cV[R]_2) : dot (v k) x = va k * x 0 0 + vb k * x 1 0.
Proof.
rewrite /dot big_ord_recr big_ord1 /= !mxE /=.
by congr (_ * x _ _ + _ * x _ _); apply: val_inj.
Qed.

Lemma v_neq k k' :
  (va k != va k') || (vb k != vb k') -> v k != v k'.
Proof.
case/orP=> H; apply/eqP => /matrixP vv.
  by have := vv 0 0; rewrite !mxE /= => E; rewrite E eqxx in H.
by have := vv 1 0; rewrite !mxE /= => E; rewrite E eqxx in H.
Qed.

Lemma v_neqN k k' :
  (va k != - va k') || (vb k != - vb k') -> v k != - v k'.
Proof.
case/orP=> H; apply/eqP => /matrixP vv.
  by have := vv 0 0; rewrite !mxE /= => E; rewrite E eqxx in H.
by have := vv 1 0; rewrite !mxE /= => E; rewrite E eqxx in H.
Qed.

Lemma one_neqN1 : (1 : R) != - 1.
Proof. by rewrite -addr_eq0 -mulr2n pnatr_eq0. Qed.

Example square_not_class_identifiable :
  ~ class_identifiable (fun z : R => z ^+ 2).
Proof.
move=> ci; have N0 : N ord0 = 0.
  apply: (ci 2%nat _ predT v N 0) => //.
  - move=> k _; apply/eqP => /matrixP vv.
    have := vv 0 0; have := vv 1 0; rewrite !mxE /= /va /vb.
    case: k vv => [[|[|[|[|//]]]] ?] _ /=;
      by move=> /eqP; rewrite ?oppr_eq0 ?oner_eq0 ?eqxx // => _ /eqP;
        rewrite oner_eq0.
  - move=> k k' _ _; rewrite -val_eqE => kk'.
    by apply/andP; split; [apply: v_neq | apply: v_neqN]; move: kk';
      rewrite /va /vb; case: k => [[|[|[|[|//]]]] ?];
      case: k' => [[|[|[|[|//]]]] ?] //= _;
      rewrite ?oppr0 ?opprK ?eqxx ?oner_eq0 ?oppr_eq0 ?one_neqN1 //=;
      rewrite ?orbT ?orbF ?oner_eq0 //= eq_sym ?oppr_eq0 ?oner_eq0 ?one_neqN1.
  - move=> x; rewrite addr0 !big_ord_recl big_ord0 addr0 /N !scalerA.
    rewrite -!scalerDl !dot_v /va /vb /cf /= !mul1r !mul0r !addr0 !add0r.
    rewrite !mulr1 mulN1r !expr2; apply/eqP; rewrite scaler_eq0; apply/orP.
    by left; apply/eqP; apply: sq_identity.
move/matrixP: N0 => /(_ 0 0); rewrite !mxE /cf /= mulr1 => /eqP.
by rewrite oppr_eq0 pnatr_eq0.
Qed.
End Square.
