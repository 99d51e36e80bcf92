(** * Minimal extra width, upper bound (BLUEPRINT Prop 6.6, with (G-rank)).

    For σ with σ(z) − σ(−z) = c z, c ≠ 0 (any such σ: the bound needs
    neither (G0) nor the characterization), pick rows t(1), …, t(r) of
    W_up and k extra directions E such that together they span R^d
    (left inverse: L_t B_t + L_E E = I with B_t the selected rows).  Then
    A x = V_t[σ(B_t x) − σ(−B_t x)] + V_E[σ(E x) − σ(−E x)] with
    V_t = A L_t / c, V_E = A L_E / c, so f is absorbable at width
    n + r + 2k: the selected neurons merge into f's own.
    - n ≥ d and some d rows of W_up invertible ((G-rank) gives such rows):
      r = d, k = 0, width n + d;
    - n ≤ d and W_up's rows completed by d − n rows E to a basis
      ((G-rank) gives that W_up's rows are independent): r = n,
      k = d − n, width 2d.
    That is n + max(d, 2d − n) in both cases. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs OddEven.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory.
Local Open Scope ring_scope.

(** Absorbability only depends on the width as a number. *)
Lemma absorbable_eq (R : ringType) (sigma : R -> R) d n (A : 'M[R]_d)
    (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) m m' :
  m = m' -> absorbable sigma A Wd Wu m -> absorbable sigma A Wd Wu m'.
Proof. by move=> <-. Qed.

Section Select.
Variables (R : ringType) (n r : nat) (t : 'I_r -> 'I_n).

(** Row selection: (Sel t M)_k = M_{t k}. *)
Definition Sel : 'M[R]_(r, n) := \matrix_(k, i) ((t k == i)%:R).

Lemma Sel_mulE p (M : 'M[R]_(n, p)) k j : (Sel *m M) k j = M (t k) j.
Proof.
rewrite mxE (bigD1 (t k)) //= big1 => [|i ik].
  by rewrite mxE eqxx mul1r addr0.
by rewrite mxE eq_sym (negbTE ik) mul0r.
Qed.

Lemma Sel_map (sigma : R -> R) (y : 'cV[R]_n) :
  map_mx sigma (Sel *m y) = Sel *m map_mx sigma y.
Proof. by apply/matrixP => k j; rewrite mxE !Sel_mulE mxE. Qed.

End Select.
Arguments Sel {R n r} t.

Section UpperBound.
Variables (R : fieldType) (sigma : R -> R) (c : R) (d n r k : nat).
Variables (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Hypothesis odd_lin : forall z, sigma z - sigma (- z) = c * z.
Hypothesis c_neq0 : c != 0.
Variables (t : 'I_r -> 'I_n) (E : 'M[R]_(k, d)).
Variables (Lt : 'M[R]_(d, r)) (LE : 'M[R]_(d, k)).
Hypothesis spanning : Lt *m (Sel t *m Wu) + LE *m E = 1%:M.

Let Bt := Sel t *m Wu.
Let Vt := c^-1 *: (A *m Lt).
Let VE := c^-1 *: (A *m LE).

(** The absorber: neurons b_i (coefficients a_i, plus V_t on the selected
    ones), −b_{t k} (coefficients −V_t), and ±E (coefficients ±V_E). *)
Definition mw_V : 'M[R]_(d, n + r + (k + k)) :=
  row_mx (row_mx (Wd + Vt *m Sel t) (- Vt)) (row_mx VE (- VE)).
Definition mw_U : 'M[R]_(n + r + (k + k), d) :=
  col_mx (col_mx Wu (- Bt)) (col_mx E (- E)).

Lemma odd_pair p (V : 'M[R]_(d, p)) (M : 'M[R]_(p, d)) (x : 'cV[R]_d) :
  V *m map_mx sigma (M *m x) + (- V) *m map_mx sigma (- M *m x) =
  (c *: (V *m M)) *m x.
Proof.
rewrite mulNmx mulNmx -mulmxBr (map_odd odd_lin) -scalemxAr -scalemxAl.
by rewrite mulmxA.
Qed.

Lemma skip_split : A = c *: (Vt *m Bt) + c *: (VE *m E).
Proof.
rewrite /Vt /VE -!scalemxAl !scalerA mulfV // !scale1r -!mulmxA -mulmxDr.
by rewrite spanning mulmx1.
Qed.

Theorem minimal_width_upper x :
  block sigma A Wd Wu x = rf_block sigma mw_V mw_U x.
Proof.
rewrite /rf_block /mw_V /mw_U !mul_col_mx !map_col_mx !mul_row_col.
rewrite mulmxDl -mulmxA -Sel_map mulmxA /Bt -[RHS]addrA -[RHS]addrA.
rewrite (addrA (Vt *m _)) odd_pair odd_pair.
by rewrite /block -mulmxDl -skip_split addrC.
Qed.

Corollary minimal_width_absorbable :
  absorbable sigma A Wd Wu (n + r + (k + k)).
Proof. by exists mw_V, mw_U; exact: minimal_width_upper. Qed.

End UpperBound.

(** minimal-width, upper bound (Prop 6.6): σ(z) − σ(−z) = c z, c ≠ 0.
    (i) n ≥ d: if d rows t(1..d) of W_up form an invertible matrix, f is
    absorbable at width n + d;  (ii) n ≤ d: if W_up's rows and d − n
    further rows E span R^d, f is absorbable at width 2d.  Both are
    n + max(d, 2d − n). *)
Theorem minimal_width (R : fieldType) (sigma : R -> R) (c : R) d n
    (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall z, sigma z - sigma (- z) = c * z) -> c != 0 ->
  (forall t : 'I_d -> 'I_n, Sel t *m Wu \in unitmx ->
     absorbable sigma A Wd Wu (n + d))
  /\
  (forall (E : 'M[R]_(d - n, d)) Lu LE, (n <= d)%N ->
     Lu *m Wu + LE *m E = 1%:M -> absorbable sigma A Wd Wu (d + d)).
Proof.
move=> odd_lin c_neq0; split=> [t Bt_unit | E Lu LE n_le_d spanning].
  apply: (absorbable_eq (m := n + d + (0 + 0))); first by rewrite !addn0.
  apply: (minimal_width_absorbable A Wd odd_lin c_neq0 (t := t)
    (E := 0 : 'M[R]_(0, d)) (Lt := invmx (Sel t *m Wu)) (LE := 0)).
  by rewrite mulVmx // mul0mx addr0.
apply: (absorbable_eq (m := n + n + ((d - n) + (d - n)))).
  by rewrite addnACA subnKC.
apply: (minimal_width_absorbable A Wd odd_lin c_neq0 (t := id) (E := E)
  (Lt := Lu) (LE := LE)).
have -> : Sel (@id 'I_n) = 1%:M :> 'M[R]_n.
  by apply/matrixP => i j; rewrite !mxE.
by rewrite mul1mx.
Qed.

Lemma Sel_rowsub (R : ringType) n r (t : 'I_r -> 'I_n) p (M : 'M[R]_(n, p)) :
  Sel t *m M = rowsub t M.
Proof. by apply/matrixP => k j; rewrite Sel_mulE mxE. Qed.

(** The rows of W_up, completed by a basis of a complement, span R^d. *)
Lemma complete_rows (R : fieldType) n d (Wu : 'M[R]_(n, d)) :
  row_full (col_mx Wu (row_base (Wu^C)%MS)).
Proof.
rewrite -sub1mx -addsmxE (adds_eqmx (eqmx_refl Wu) (eq_row_base _)).
by rewrite sub1mx addsmx_compl_full.
Qed.

(** minimal-width, upper bound under (G-rank) itself: if
    rank W_up = min(n, d), then f is absorbable at width
    n + max(d, 2d − n).  (n ≥ d: the d rows are found by
    [fullrankfun]; n < d: W_up's rows are completed by a basis of a
    complement.) *)
Theorem minimal_width_Grank (R : fieldType) (sigma : R -> R) (c : R) d n
    (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)) :
  (forall z, sigma z - sigma (- z) = c * z) -> c != 0 ->
  \rank Wu = minn n d ->
  absorbable sigma A Wd Wu (n + maxn d (d.*2 - n)).
Proof.
move=> odd_lin c_neq0 rkWu; have [d_le_n | n_lt_d] := leqP d n.
  have full : row_full Wu by rewrite /row_full rkWu (minn_idPr d_le_n).
  have := (minimal_width A Wd Wu odd_lin c_neq0).1 (fullrankfun full).
  rewrite Sel_rowsub fullrowsub_unit => /(_ isT) fg.
  apply: (absorbable_eq _ fg); congr (_ + _)%N; apply/esym/maxn_idPl.
  by rewrite leq_subLR -addnn leq_add2r.
have [B BE] := row_fullP (complete_rows Wu).
have spanning : lsubmx B *m (Sel id *m Wu) + rsubmx B *m row_base (Wu^C)%MS
    = 1%:M.
  have -> : Sel (@id 'I_n) = 1%:M :> 'M[R]_n.
    by apply/matrixP => i j; rewrite !mxE.
  by rewrite mul1mx -mul_row_col hsubmxK.
apply: (absorbable_eq _ (minimal_width_absorbable A Wd odd_lin c_neq0
  spanning)).
have n_le_d := ltnW n_lt_d.
have n_le_2d : (n <= d.*2)%N by rewrite -addnn (leq_trans n_le_d) ?leq_addr.
rewrite mxrank_compl rkWu (minn_idPl n_le_d) (maxn_idPr _); last first.
  by rewrite leq_subRL // -addnn leq_add2r.
by rewrite subnKC // addnACA subnKC // addnn.
Qed.
