(** * Exact ReLU-type characterization (BLUEPRINT Thm 6.2).

    σ(z) = (c/2) z + κ|z|, κ ≠ 0; any weights, any widths n and m, any d.
    The rows of W_up and of U are grouped by line with explicit data: lines
    ℓ ∈ 'I_p with representatives w_ℓ (nonzero, pairwise independent),
    b_i = β_i w_{li(i)} and u_j = γ_j w_{lj(j)} (zero rows: β_i = 0 on any
    line).  Then f = g on R^d iff (L) 2A + c W_down W_up = c V U and, for
    every line ℓ, (J_ℓ) Σ_{li(i)=ℓ} |β_i| a_i = Σ_{lj(j)=ℓ} |γ_j| c_j.
    (L) is (2/c) A + Σ a_i b_iᵀ = Σ c_j u_jᵀ multiplied by c, so it also
    covers c = 0. *)
From mathcomp Require Import all_ssreflect all_algebra.
From SkipAbsorption Require Import Defs Kinks OddEven GenericIff.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.

Section Lines.
Variables (R : realFieldType) (d p : nat) (w : 'I_p -> 'cV[R]_d).

(** Scale-weighted jump of a family on line ℓ. *)
Definition line_jump k (W : 'M[R]_(d, k)) (lk : 'I_k -> 'I_p) (bt : 'I_k -> R)
    (l : 'I_p) : 'cV[R]_d :=
  \sum_(i | lk i == l) `|bt i| *: col i W.

Lemma group_lines k (W : 'M[R]_(d, k)) (M : 'M[R]_(k, d)) lk bt x :
  (forall i, (row i M)^T = bt i *: w (lk i)) ->
  \sum_i `|dot (row i M)^T x| *: col i W =
  \sum_l `|dot (w l) x| *: line_jump W lk bt l.
Proof.
move=> rowE; rewrite (partition_big lk xpredT) //=.
apply: eq_bigr => l _; rewrite /line_jump scaler_sumr.
apply: eq_bigr => i /eqP <-; rewrite rowE.
by rewrite dotZl normrM scalerA mulrC.
Qed.

Lemma mulmx2l (M : 'M[R]_d) (x : 'cV[R]_d) : M *+ 2 *m x = (M *m x) *+ 2.
Proof. by rewrite !mulr2n mulmxDl. Qed.

End Lines.

Section ReluChar.
Variables (R : realFieldType) (sigma : R -> R) (c kappa : R).
Hypothesis sigma_relu : forall z, sigma z = c / 2%:R * z + kappa * `|z|.
Hypothesis kappa_neq0 : kappa != 0.
Variables (d n m : nat) (A : 'M[R]_d) (Wd : 'M[R]_(d, n)) (Wu : 'M[R]_(n, d)).
Variables (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)).
Variables (p : nat) (w : 'I_p -> 'cV[R]_d).
Variables (li : 'I_n -> 'I_p) (lj : 'I_m -> 'I_p).
Variables (beta : 'I_n -> R) (gamma : 'I_m -> R).
Hypothesis w_neq0 : forall l, w l != 0.
Hypothesis w_indep : forall l l', l != l' -> indep (w l) (w l').
Hypothesis bE : forall i, (row i Wu)^T = beta i *: w (li i).
Hypothesis uE : forall j, (row j U)^T = gamma j *: w (lj j).

Lemma relu_char_even x :
  block sigma A Wd Wu x + block sigma A Wd Wu (- x) =
  (kappa *+ 2) *: \sum_l `|dot (w l) x| *: line_jump Wd li beta l.
Proof.
rewrite block_evenE mulmx_mapE -(group_lines _ _ bE) scaler_sumr.
by apply: eq_bigr => i _; rewrite (relu_type_even sigma_relu) scalerA.
Qed.

Lemma rf_char_even x :
  rf_block sigma V U x + rf_block sigma V U (- x) =
  (kappa *+ 2) *: \sum_l `|dot (w l) x| *: line_jump V lj gamma l.
Proof.
rewrite rf_evenE mulmx_mapE -(group_lines _ _ uE) scaler_sumr.
by apply: eq_bigr => i _; rewrite (relu_type_even sigma_relu) scalerA.
Qed.

Lemma relu_char_only_if :
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) ->
  A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U) /\
  forall l, line_jump Wd li beta l = line_jump V lj gamma l.
Proof.
move=> fg; split.
  apply/eqP; rewrite -subr_eq0; apply/eqP/mx_ext0 => x.
  rewrite mulmxBl mulmxDl -!scalemxAl -!mulmxA mulmx2l.
  by rewrite (absorb_odd (relu_type_odd sigma_relu) fg) subrr.
have := kinks (w := w) (N := fun l => line_jump Wd li beta l -
  line_jump V lj gamma l) (L := 0) w_neq0 w_indep.
case=> [x | J _ l]; last by apply/eqP; rewrite -subr_eq0 J.
rewrite mul0mx addr0; under eq_bigr do rewrite scalerBr; rewrite sumrB.
have := relu_even_sum sigma_relu kappa_neq0 fg x.
by rewrite (group_lines _ _ bE) (group_lines _ _ uE) => ->; rewrite subrr.
Qed.

Lemma relu_char_if :
  A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U) ->
  (forall l, line_jump Wd li beta l = line_jump V lj gamma l) ->
  forall x, block sigma A Wd Wu x = rf_block sigma V U x.
Proof.
move=> L J x; have two_neq0 : 2%:R != 0 :> R by rewrite pnatr_eq0.
apply: (scalerI two_neq0); rewrite !scaler_nat !mulr2n.
have oddE := block_oddE A Wd Wu (relu_type_odd sigma_relu) x.
have roddE := rf_oddE V U (relu_type_odd sigma_relu) x.
have twiceE (y z : 'cV[R]_d) : y + y = (y - z) + (y + z).
  by rewrite addrACA addNr addr0.
rewrite (@twiceE (block sigma A Wd Wu x) (block sigma A Wd Wu (- x))).
rewrite (@twiceE (rf_block sigma V U x) (rf_block sigma V U (- x))).
rewrite oddE roddE relu_char_even rf_char_even.
rewrite (eq_bigr _ (fun l _ => congr1 _ (J l))); congr (_ + _).
rewrite [in RHS]mulmxA [in RHS]scalemxAl -L mulmxDl mulmx2l -scalemxAl.
by rewrite mulmxA.
Qed.

End ReluChar.

(** relu-characterization (Thm 6.2): for σ(z) = (c/2) z + κ|z|, κ ≠ 0, any
    d, n, m and weights, with the lines given as data (representatives w_ℓ
    nonzero and pairwise independent, b_i = β_i w_{li i},
    u_j = γ_j w_{lj j}):  f = g on R^d ⟺ (L) ∧ ∀ℓ, (J_ℓ). *)
Theorem relu_characterization (R : realFieldType) (sigma : R -> R)
    (c kappa : R) d n m (A : 'M[R]_d) (Wd : 'M[R]_(d, n))
    (Wu : 'M[R]_(n, d)) (V : 'M[R]_(d, m)) (U : 'M[R]_(m, d)) p
    (w : 'I_p -> 'cV[R]_d) (li : 'I_n -> 'I_p) (lj : 'I_m -> 'I_p)
    (beta : 'I_n -> R) (gamma : 'I_m -> R) :
  (forall z, sigma z = c / 2%:R * z + kappa * `|z|) -> kappa != 0 ->
  (forall l, w l != 0) -> (forall l l', l != l' -> indep (w l) (w l')) ->
  (forall i, (row i Wu)^T = beta i *: w (li i)) ->
  (forall j, (row j U)^T = gamma j *: w (lj j)) ->
  (forall x, block sigma A Wd Wu x = rf_block sigma V U x) <->
  (A *+ 2 + c *: (Wd *m Wu) = c *: (V *m U) /\
   forall l, line_jump Wd li beta l = line_jump V lj gamma l).
Proof.
move=> sigma_relu kappa_neq0 w_neq0 w_indep bE uE; split.
  exact: relu_char_only_if.
by case; exact: relu_char_if.
Qed.
