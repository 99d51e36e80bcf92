(** * Exact characterization for class-identifiable e (BLUEPRINT Thm 6.3).

    σ(z) = (c/2) z + e(z) with e even and class-identifiable; any weights,
    any widths n and m, any d.  The classes {±v} are given as data:
    representatives v_ℓ (ℓ ∈ 'I_p), nonzero and in pairwise distinct
    classes, and every nonzero row b_i (u_j) equals ±v_{li i} (±v_{lj j}).
    Then f = g on R^d iff (L) 2A + c W_down W_up = c V U, for every class
    Σ_{b_i ∈ {±v_ℓ}} a_i = Σ_{u_j ∈ {±v_ℓ}} c_j, and
    e(0) Σ_{b_i = 0} a_i = e(0) Σ_{u_j = 0} c_j (the zero class counts
    only when e(0) ≠ 0). *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks OddEven GenericIff ReluChar.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section ClassData.
Variables (R : realFieldType) (e : R -> R) (d p : nat).
Variable v : 'I_p -> 'cV[R]_d.
Hypothesis e_even : forall z, e (- z) = e z.

(** Σ of the coefficients on class ℓ (nonzero rows only), and on the zero
    class. *)
Definition class_sum k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d))
    (lk : 'I_k -> 'I_p) (l : 'I_p) : 'cV[R]_d :=
  \sum_(i | (lk i == l) && ((row i M)^T != 0)) col i W.

Definition zero_sum k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) : 'cV[R]_d :=
  \sum_(i | (row i M)^T == 0) col i W.

Lemma dot0l (x : 'cV[R]_d) : dot 0 x = 0.
Proof. by rewrite /dot big1 // => i _; rewrite mxE mul0r. Qed.

Lemma group_classes k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) lk x :
  (forall i, (row i M)^T != 0 ->
     ((row i M)^T == v (lk i)) || ((row i M)^T == - v (lk i))) ->
  \sum_i e (dot (row i M)^T x) *: col i W =
  \sum_l e (dot (v l) x) *: class_sum W M lk l + e 0 *: zero_sum W M.
Proof.
move=> rowE; rewrite (bigID (fun i => (row i M)^T == 0)) /= addrC.
congr (_ + _); last first.
  by rewrite scaler_sumr; apply: eq_bigr => i /eqP ->; rewrite dot0l.
rewrite (partition_big lk xpredT) //=; apply: eq_bigr => l _.
rewrite /class_sum scaler_sumr (eq_bigl _ _ (fun i => andbC _ _)).
apply: eq_bigr => i /andP [/eqP <- /rowE /orP [] /eqP ->] //.
by rewrite dotNl e_even.
Qed.

End ClassData.

Section OddLinearChar.
Variables (R : realFieldType) (sigma e : R -> R) (c : R).
Hypothesis sigma_class : forall z, sigma z = c / 2%:R * z + e z.
Hypothesis e_even : forall z, e (- z) = e z.
Variables (d n m : nat) (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Variables (p : nat) (v : 'I_p -> 'cV[R]_d).
Variables (li : 'I_n -> 'I_p) (lj : 'I_m -> 'I_p).
Hypothesis v_neq0 : forall l, v l != 0.
Hypothesis v_distinct :
  forall l l', l != l' -> (v l != v l') && (v l != - v l').
Hypothesis bE : forall i, (row i Wu)^T != 0 ->
  ((row i Wu)^T == v (li i)) || ((row i Wu)^T == - v (li i)).
Hypothesis uE : forall j, (row j U)^T != 0 ->
  ((row j U)^T == v (lj j)) || ((row j U)^T == - v (lj j)).

Local Notation csf := (class_sum Wd Wu li).
Local Notation csg := (class_sum V U lj).

(** The even part of a block, by classes (f: W, M = W_down, W_up; g: V, U). *)
Lemma even_classes k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) lk x :
  (forall i, (row i M)^T != 0 ->
     ((row i M)^T == v (lk i)) || ((row i M)^T == - v (lk i))) ->
  W *m map_mx (even_part sigma) (M *m x) =
  (\sum_l e (dot (v l) x) *: class_sum W M lk l + e 0 *: zero_sum W M) *+ 2.
Proof.
move=> rowE; rewrite mulmx_mapE -(group_classes e_even _ _ rowE) -sumrMnl.
apply: eq_bigr => i _.
by rewrite (class_type_even sigma_class e_even) scalerMnl.
Qed.

Hypothesis e_ci : class_identifiable e.

Lemma class_char_only_if :
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  [/\ A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U),
      forall l, csf l = csg l
    & e 0 *: zero_sum Wd Wu = e 0 *: zero_sum V U].
Proof.
move=> fg; have evenE x :
    \sum_l e (dot (v l) x) *: (csf l - csg l) +
    e 0 *: (zero_sum Wd Wu - zero_sum V U) = 0.
  under eq_bigr do rewrite scalerBr.
  rewrite sumrB scalerBr addrACA -opprD.
  have := class_even_sum sigma_class e_even fg x.
  rewrite (group_classes e_even _ _ bE) (group_classes e_even _ _ uE) => ->.
  by rewrite subrr.
have J l : csf l = csg l.
  apply/eqP; rewrite -subr_eq0; apply/eqP.
  apply: (e_ci (P := xpredT) (v := v) (N := fun l => csf l - csg l)) => //.
  by move=> k k' _ _; exact: v_distinct.
split=> //.
  apply/eqP; rewrite -subr_eq0; apply/eqP/mx_ext0 => x.
  rewrite mulmxBl mulmxDl -!scalemxAl -!mulmxA mulmx2l.
  by rewrite (absorb_odd (class_type_odd sigma_class e_even) fg) subrr.
apply/eqP; rewrite -subr_eq0 -scalerBr; apply/eqP.
have := evenE 0; rewrite big1 ?add0r // => l _.
by rewrite J subrr scaler0.
Qed.

Lemma class_char_if :
  A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U) ->
  (forall l, csf l = csg l) ->
  e 0 *: zero_sum Wd Wu = e 0 *: zero_sum V U ->
  forall x, block sigma A Wd Wu x = rf_block sigma V U x.
Proof.
move=> L J Z x; have two_neq0 : 2%:R != 0 :> R by rewrite pnatr_eq0.
apply: (scalerI two_neq0); rewrite !scaler_nat !mulr2n.
have twiceE (y z : 'cV[R]_d) : y + y = (y - z) + (y + z).
  by rewrite addrACA addNr addr0.
rewrite (@twiceE (block sigma A Wd Wu x) (block sigma A Wd Wu (- x))).
rewrite (@twiceE (rf_block sigma V U x) (rf_block sigma V U (- x))).
have odd_lin := class_type_odd sigma_class e_even.
rewrite (block_oddE _ _ _ odd_lin) (rf_oddE _ _ odd_lin).
rewrite block_evenE rf_evenE (even_classes _ _ bE) (even_classes _ _ uE) Z.
rewrite (eq_bigr _ (fun l _ => congr1 _ (J l))).
congr (_ + _).
rewrite [in RHS]mulmxA [in RHS]scalemxAl -L mulmxDl mulmx2l -scalemxAl.
by rewrite mulmxA.
Qed.

End OddLinearChar.

(** odd-linear-characterization (Thm 6.3): σ(z) = (c/2) z + e(z), e even
    and class-identifiable; classes given as data (v_ℓ nonzero, pairwise
    distinct classes; each nonzero row is ±v of its class).  Then
    f = g on R^d ⟺ (L) ∧ (per-class sums agree) ∧
    e(0) Σ_{b_i=0} a_i = e(0) Σ_{u_j=0} c_j. *)
Theorem odd_linear_characterization (R : realFieldType) (sigma e : R -> R)
    (c : R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d))
    (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) p (v : 'I_p -> 'cV[R]_d)
    (li : 'I_n -> 'I_p) (lj : 'I_m -> 'I_p) :
  (forall z, sigma z = c / 2%:R * z + e z) ->
  (forall z, e (- z) = e z) -> class_identifiable e ->
  (forall l, v l != 0) ->
  (forall l l', l != l' -> (v l != v l') && (v l != - v l')) ->
  (forall i, (row i Wu)^T != 0 ->
     ((row i Wu)^T == v (li i)) || ((row i Wu)^T == - v (li i))) ->
  (forall j, (row j U)^T != 0 ->
     ((row j U)^T == v (lj j)) || ((row j U)^T == - v (lj j))) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) <->
  [/\ A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U),
      forall l, class_sum Wd Wu li l = class_sum V U lj l
    & e 0 *: zero_sum Wd Wu = e 0 *: zero_sum V U].
Proof.
move=> sigma_class e_even e_ci v_neq0 v_distinct bE uE; split.
  exact: class_char_only_if.
by case=> L J Z; exact: (class_char_if sigma_class e_even bE uE L J Z).
Qed.
