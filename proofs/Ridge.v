(** * Lemma V of BLUEPRINT §3 (signed-vandermonde) and the two lemmas of
    the proof of criterion (i′) of §6.3.

    [ridge_direction] (over any numDomainType, the step of (i′) that the
    blueprint does with Lemma R): for nonzero v_k in pairwise distinct
    classes {±v_k} there is a direction w with every v_k·w nonzero and the
    squares (v_k·w)² pairwise distinct.  The direction is
    w = (1, t, …, t^{d-1}) for a t that is not a root of the nonzero
    polynomial Π_k p_{v_k} Π_{k≠k'} p_{v_k - v_k'} p_{v_k + v_k'}
    (p_v(t) = v·w(t)).  Lemma R itself (ridge-powers) is not proved here.

    [positive_vandermonde] (over Coq's reals, the variant (i′) uses): for
    pairwise distinct positive bases b_k, if Σ_k c_k b_k^m = 0 for infinitely
    many m then every c_k = 0 (divide by the largest base carrying a nonzero
    coefficient and let m → ∞ along the zeros; limits from Coquelicot).
    [class_vandermonde]: the same with repeated bases gives vanishing class
    sums.  [signed_vandermonde]: Lemma V as stated (bases of both signs, K
    with infinitely many even, resp. also infinitely many odd, exponents). *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.analysis Require Import Rstruct.
Require Import Reals.
From Coquelicot Require Import Coquelicot.
From SkipAbsorption Require Import Defs.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.Theory.
Local Open Scope ring_scope.
Delimit Scope R_scope with coq_R.

Section Ridge.
Variable R : numDomainType.

Definition ray_poly d (v : 'cV[R]_d) : {poly R} := \sum_(i < d) v i 0 *: 'X^i.
Definition ray_point d (t : R) : 'cV[R]_d := \col_(i < d) t ^+ i.

Lemma ray_polyE d (v : 'cV[R]_d) t : (ray_poly v).[t] = dot v (ray_point d t).
Proof.
rewrite /ray_poly horner_sum /dot; apply: eq_bigr => i _.
by rewrite hornerZ hornerXn mxE.
Qed.

Lemma ray_poly_neq0 d (v : 'cV[R]_d) : v != 0 -> ray_poly v != 0.
Proof.
apply: contraNneq => v0; apply/eqP/matrixP => i z; rewrite ord1 mxE.
have := congr1 (fun p : {poly R} => p`_i) v0.
rewrite coef_sum coef0 (bigD1 i) //= coefZ coefXn eqxx mulr1 big1 ?addr0 //.
move=> j ji; rewrite coefZ coefXn; case: eqP => [/val_inj ij|]; last first.
  by rewrite mulr0.
by rewrite ij eqxx in ji.
Qed.

Lemma poly_nonroot (p : {poly R}) : p != 0 -> exists t, p.[t] != 0.
Proof.
move=> p0; set rs := [seq i%:R | i <- seq.iota 0 (size p)] : seq R.
have : ~~ all (root p) rs.
  apply/negP => all_root.
  have uniq_rs : uniq rs.
    rewrite map_inj_uniq ?seq.iota_uniq // => i j /eqP.
    by rewrite eqr_nat => /eqP.
  have := max_poly_roots p0 all_root uniq_rs.
  by rewrite size_map size_iota ltnn.
by case/allPn => t _ t_nonroot; exists t.
Qed.

Lemma dotB d (u v w : 'cV[R]_d) : dot (u - v) w = dot u w - dot v w.
Proof.
by rewrite /dot -sumrB; apply: eq_bigr => i _; rewrite !mxE mulrBl.
Qed.

Lemma dotD d (u v w : 'cV[R]_d) : dot (u + v) w = dot u w + dot v w.
Proof.
by rewrite /dot -big_split; apply: eq_bigr => i _; rewrite !mxE mulrDl.
Qed.

(** Lemma R (ridge-powers, the separating direction). *)
Lemma ridge_direction d (I : finType) (P : pred I) (v : I -> 'cV[R]_d) :
  (forall k, P k -> v k != 0) ->
  (forall k k', P k -> P k' -> k != k' -> (v k != v k') && (v k != - v k')) ->
  exists w : 'cV[R]_d,
    (forall k, P k -> dot (v k) w != 0) /\
    (forall k k', P k -> P k' -> k != k' ->
       dot (v k) w ^+ 2 != dot (v k') w ^+ 2).
Proof.
move=> v_neq0 v_cls.
pose q := \prod_(k | P k) (ray_poly (v k) *
  \prod_(k' | P k' && (k' != k))
     (ray_poly (v k - v k') * ray_poly (v k + v k'))).
have q_neq0 : q != 0.
  rewrite prodf_seq_neq0; apply/allP => k _; apply/implyP => Pk.
  rewrite mulf_neq0 ?ray_poly_neq0 ?v_neq0 //.
  rewrite prodf_seq_neq0; apply/allP => k' _; apply/implyP.
  case/andP => Pk' k'k; rewrite eq_sym in k'k.
  have /andP [kk' kNk'] := v_cls k k' Pk Pk' k'k.
  by rewrite mulf_neq0 ?ray_poly_neq0 // ?subr_eq0 // addr_eq0.
have [t qt] := poly_nonroot q_neq0.
have prod_nz (J : finType) (Q : pred J) (F : J -> R) j :
    \prod_(i | Q i) F i != 0 -> Q j -> F j != 0.
  rewrite prodf_seq_neq0 => /allP /(_ j (mem_index_enum j)) /implyP.
  by move=> H Qj; exact: H.
exists (ray_point d t).
have fac k : P k -> dot (v k) (ray_point d t) != 0 /\
    forall k', P k' -> k' != k ->
      (dot (v k - v k') (ray_point d t) != 0) &&
      (dot (v k + v k') (ray_point d t) != 0).
  move=> Pk; move: qt; rewrite /q horner_prod => /prod_nz /(_ Pk).
  rewrite hornerM mulf_eq0 negb_or ray_polyE => /andP [-> pr]; split=> //.
  move=> k' Pk' k'k; move: pr; rewrite horner_prod => /prod_nz.
  move=> /(_ k'); rewrite Pk' k'k => /(_ isT).
  by rewrite hornerM mulf_eq0 negb_or !ray_polyE.
split=> [k Pk | k k' Pk Pk' kk']; first by case: (fac k Pk).
have [_ /(_ k' Pk')] := fac k Pk; rewrite eq_sym => /(_ kk') /andP [].
rewrite dotB dotD => nzB nzD.
by rewrite -subr_eq0 subr_sqr mulf_neq0.
Qed.

End Ridge.

Section Vandermonde.

Lemma lim_bigsum (I : Type) (s : seq I) (P : pred I) (u : I -> nat -> R)
    (l : I -> R) :
  (forall k, P k -> is_lim_seq (u k) (l k)) ->
  is_lim_seq (fun m => \sum_(k <- s | P k) u k m) (\sum_(k <- s | P k) l k).
Proof.
move=> ul; elim: s => [|k s IH].
  rewrite big_nil; apply: (is_lim_seq_ext (fun _ => 0%coq_R)).
    by move=> m; rewrite big_nil.
  exact: is_lim_seq_const.
rewrite big_cons; case: ifP => Pk; last first.
  by apply: is_lim_seq_ext IH => m; rewrite big_cons Pk.
apply: (is_lim_seq_ext (fun m => u k m + \sum_(j <- s | P j) u j m)%coq_R).
  by move=> m; rewrite big_cons Pk.
exact: is_lim_seq_plus' (ul k Pk) IH.
Qed.

Lemma lim_often0 (g : nat -> R) (l : R) :
  is_lim_seq g l -> (forall M, exists2 m, (M <= m)%nat & g m = 0) -> l = 0.
Proof.
move=> /is_lim_seq_spec gl often; apply/eqP; apply/negP => /negP l0.
have l_pos : (0 < Rabs l)%coq_R by apply: Rabs_pos_lt; apply/eqP.
have [N HN] := gl (mkposreal _ l_pos).
have [m Nm gm] := often N; have := HN m (elimT ssrnat.leP Nm).
by rewrite gm /= Rminus_0_l Rabs_Ropp => /Rlt_irrefl.
Qed.

Lemma seq_argmax (T : eqType) (s : seq T) (f : T -> R) x :
  x \in s -> exists2 y, y \in s & forall z, z \in s -> f z <= f y.
Proof.
elim: s x => // a s IH x; rewrite inE.
case: s IH => [_|b s IH _].
  by move=> _; exists a; rewrite ?mem_head // => z; rewrite inE => /eqP ->.
have [y ys ymax] := IH b (mem_head _ _).
case: (lerP (f a) (f y)) => [ay|ya].
  exists y; first by rewrite inE ys orbT.
  by move=> z; rewrite inE => /orP [/eqP -> //|]; exact: ymax.
exists a; first exact: mem_head.
move=> z; rewrite inE => /orP [/eqP -> //|/ymax zy].
exact: le_trans zy (ltW ya).
Qed.

(** Lemma V for distinct positive bases and any infinite set of exponents
    (the variant criterion (i′) uses). *)
Lemma positive_vandermonde (I : finType) (P : pred I) (c b : I -> R) :
  (forall k, P k -> 0 < b k) -> {in P &, injective b} ->
  (forall M, exists2 m, (M <= m)%nat & \sum_(k | P k) c k * b k ^+ m = 0) ->
  forall k, P k -> c k = 0.
Proof.
move=> b_pos b_inj often k Pk; apply/eqP; apply/negP => /negP ck.
pose S := [pred j | P j && (c j != 0)].
have kS : k \in enum S by rewrite mem_enum inE Pk.
have [k0 /[!mem_enum] /andP [Pk0 ck0] k0max] := seq_argmax b kS.
have {}k0max j : S j -> b j <= b k0.
  by move=> Sj; apply: k0max; rewrite mem_enum.
set B := b k0; have B_pos : 0 < B := b_pos k0 Pk0.
have B_neq0 : B != 0 by rewrite gt_eqF.
pose g m := \sum_(j | S j) c j * (b j / B) ^+ m.
have gE m : \sum_(j | P j) c j * b j ^+ m = B ^+ m * g m.
  rewrite (bigID (fun j => c j != 0)) /= [X in _ + X]big1 ?addr0; last first.
    by move=> j /andP [_ /negPn /eqP ->]; rewrite mul0r.
  rewrite mulr_sumr; apply: eq_bigr => j _.
  rewrite expr_div_n mulrCA; congr (_ * _).
  by rewrite mulrCA mulfV ?mulr1 // expf_neq0.
have g_often M : exists2 m, (M <= m)%nat & g m = 0.
  have [m Mm] := often M; rewrite gE => /eqP; rewrite mulf_eq0.
  by rewrite expf_eq0 (negbTE B_neq0) andbF => /eqP gm; exists m.
have g_lim : is_lim_seq g (\sum_(j | S j) (if j == k0 then c j else 0)).
  apply: lim_bigsum => j /andP [Pj cj]; case: eqP => [->|jk0].
    apply: (is_lim_seq_ext (fun _ => c k0)); last exact: is_lim_seq_const.
    by move=> m; rewrite divff // expr1n mulr1.
  have bj_lt : b j < B.
    rewrite lt_neqAle k0max ?inE ?Pj ?cj // andbT.
    by apply/eqP => bjk; apply: jk0; exact: b_inj bjk.
  pose q := b j / B.
  have q_lt1 : (Rabs q < 1)%coq_R.
    rewrite Rabs_right; last first.
      by apply: Rle_ge; apply/RleP; rewrite divr_ge0 // ltW // b_pos.
    by apply/RltP; rewrite ltr_pdivr_mulr // mul1r.
  have := is_lim_seq_scal_l _ (c j) _ (is_lim_seq_geom _ q_lt1).
  rewrite /= Rmult_0_r; apply: is_lim_seq_ext => m.
  by rewrite RpowE.
move: g_lim; rewrite (bigD1 k0) ?inE ?Pk0 ?ck0 // eqxx big1 ?addr0; last first.
  by move=> j /andP [_ /negbTE ->].
move=> /lim_often0 /(_ g_often) /= ck00.
by have := ck0; rewrite -[c k0]addr0 ck00 eqxx.
Qed.


(** Lemma V with repeated bases: class sums vanish.  For b_k > 0 (not
    necessarily distinct), Σ_k c_k b_k^m = 0 for infinitely many m forces
    Σ_{b_j = b_k} c_j = 0 for every k.  One representative per value of b
    ([rep]) reduces it to [positive_vandermonde]. *)
Section Classes.
Variables (I : finType) (P : pred I) (b : I -> R).

Definition rep k := odflt k [pick j | P j && (b j == b k)].

Lemma repP k : P k -> P (rep k) && (b (rep k) == b k).
Proof.
move=> Pk; rewrite /rep; case: pickP => [j //|/(_ k)].
by rewrite Pk eqxx.
Qed.

Lemma rep_eq k k' : P k -> b k = b k' -> rep k = rep k'.
Proof.
move=> Pk bkk; rewrite /rep.
have E : [pred j | P j && (b j == b k)] =1 [pred j | P j && (b j == b k')].
  by move=> j /=; rewrite bkk.
rewrite (eq_pick E); case: pickP => [//|/(_ k)] /=.
by rewrite Pk bkk eqxx.
Qed.

Lemma class_vandermonde (c : I -> R) :
  (forall k, P k -> 0 < b k) ->
  (forall M, exists2 m, (M <= m)%nat & \sum_(k | P k) c k * b k ^+ m = 0) ->
  forall k, P k -> \sum_(j | P j && (b j == b k)) c j = 0.
Proof.
move=> b_pos often.
pose Q k := P k && (rep k == k).
pose C k := \sum_(j | P j && (b j == b k)) c j.
have QC r : Q r -> C r = 0.
  apply: (@positive_vandermonde I Q C b).
  - by move=> r' /andP [Pr _]; exact: b_pos.
  - move=> r1 r2 /andP [Pr1 /eqP rr1] /andP [_ /eqP rr2] b12.
    by rewrite -rr1 -rr2; exact: rep_eq Pr1 b12.
  move=> M; have [m Mm sum0] := often M; exists m => //.
  rewrite -[RHS]sum0 [RHS](partition_big rep Q) /=; last first.
    move=> k Pk; have /andP [Pr /eqP br] := repP Pk.
    by rewrite /Q Pr (rep_eq Pr br) eqxx.
  apply: eq_bigr => r0 /andP [Pr /eqP rr]; rewrite /C mulr_suml.
  apply: eq_big => [j|j /andP [Pj /eqP bjr]]; last by rewrite bjr.
  case Pj : (P j) => //=; apply/eqP/eqP => [bjr|rjr].
    by rewrite (rep_eq Pj bjr) rr.
  by have /andP [_ /eqP <-] := repP Pj; rewrite rjr.
move=> k Pk; have /andP [Pr /eqP br] := repP Pk.
have Qr : Q (rep k) by rewrite /Q Pr (rep_eq Pr br) eqxx.
by have := QC _ Qr; rewrite /C br.
Qed.

End Classes.

(** The class of g_k under squaring is {k} ∪ {j : g_j = −g_k}. *)
Lemma sqr_class (I : finType) (P : pred I) (a g : I -> R) k :
  (forall k, P k -> g k != 0) -> {in P &, injective g} -> P k ->
  \sum_(j | P j && (g j ^+ 2 == g k ^+ 2)) a j =
  a k + \sum_(j | P j && (g j == - g k)) a j.
Proof.
move=> g_neq0 g_inj Pk; rewrite (bigD1 k) /= ?Pk ?eqxx //; congr (_ + _).
apply: eq_bigl => j; case Pj : (P j) => //=; rewrite eqf_sqr.
have [->|jk] := eqVneq j k.
  rewrite andbF; apply/esym/negbTE.
  by rewrite -addr_eq0 -mulr2n mulrn_eq0 /= g_neq0.
rewrite andbT; have -> // : (g j == g k) = false.
by apply/negbTE; apply/eqP => gjk; move/eqP: jk; apply; exact: g_inj gjk.
Qed.

(** Lemma V (signed-vandermonde), as stated in BLUEPRINT §3: γ_k nonzero
    and pairwise distinct, Σ_k α_k γ_k^i = 0 for every i in K.  If K has
    infinitely many even elements, α_γ + α_{−γ} = 0 (α_{−γ} read as 0 when
    −γ is not among the γ_k); if it also has infinitely many odd ones,
    α = 0. *)
Theorem signed_vandermonde (I : finType) (P : pred I) (a g : I -> R)
    (K : pred nat) :
  (forall k, P k -> g k != 0) -> {in P &, injective g} ->
  (forall i, K i -> \sum_(k | P k) a k * g k ^+ i = 0) ->
  (forall M, exists2 i, (M <= i)%nat & K i && ~~ odd i) ->
  (forall k, P k -> a k + \sum_(j | P j && (g j == - g k)) a j = 0) /\
  ((forall M, exists2 i, (M <= i)%nat & K i && odd i) ->
   forall k, P k -> a k = 0).
Proof.
move=> g_neq0 g_inj sum0 Keven.
have sq_pos k : P k -> 0 < g k ^+ 2.
  by move=> Pk; rewrite lt_def sqr_ge0 andbT expf_neq0 ?g_neq0.
have even_part k : P k -> a k + \sum_(j | P j && (g j == - g k)) a j = 0.
  move=> Pk; rewrite -(sqr_class a g_neq0 g_inj Pk).
  apply: (class_vandermonde (b := fun j => g j ^+ 2)) Pk => // M.
  have [i Mi /andP [Ki ei]] := Keven M.*2; exists i./2.
    by rewrite -(doubleK M) half_leq.
  rewrite -[RHS](sum0 _ Ki); apply: eq_bigr => j _.
  by rewrite -exprM mul2n -[in RHS](odd_double_half i) (negbTE ei) add0n.
split=> // Kodd k Pk.
have oc : \sum_(j | P j && (g j ^+ 2 == g k ^+ 2)) a j * g j = 0.
  apply: (class_vandermonde (b := fun j => g j ^+ 2)) Pk => // M.
  have [i Mi /andP [Ki oi]] := Kodd M.*2; exists i./2.
    by rewrite -(doubleK M) half_leq.
  rewrite -[RHS](sum0 _ Ki); apply: eq_bigr => j _.
  rewrite -mulrA -exprM -exprS mul2n -[in RHS](odd_double_half i) oi.
  by rewrite add1n.
rewrite (sqr_class (fun j => a j * g j) g_neq0 g_inj Pk) in oc.
set S := \sum_(j | P j && (g j == - g k)) a j.
have E : \sum_(j | P j && (g j == - g k)) a j * g j = - (S * g k).
  rewrite mulr_suml -sumrN; apply: eq_bigr => j /andP [_ /eqP ->].
  by rewrite mulrN.
move: oc; rewrite E -mulrBl => /eqP.
rewrite mulf_eq0 (negbTE (g_neq0 k Pk)) orbF.
rewrite subr_eq0 => /eqP akS; have := even_part k Pk; rewrite -/S -akS.
by move/eqP; rewrite -mulr2n mulrn_eq0 /= => /eqP.
Qed.
End Vandermonde.
