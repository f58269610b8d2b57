#!/usr/bin/env python3
"""Regenerates docs/patterns.md below its introduction from the headers of patterns/*.scm, with
figures simulated by the built rlm-plan (debug build; pass another binary as the first argument).
Tests/SimulatorTests/DocExamplesTests.swift checks that the catalogue agrees with the headers."""
import os, json, subprocess, sys
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary=sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, '.build/debug/rlm-plan')
pdir=os.path.join(root,'patterns')
def header(path):
    fields={}; params=[]
    for line in open(path):
        if not line.startswith(';;'): break
        body=line[2:].strip()
        k,v=body.split(':',1); k=k.strip(); v=v.strip()
        if k.startswith('param '):
            d,desc=(v.split('|',1)+[''])[:2]
            params.append((k[6:],d.strip(),desc.strip()))
        else: fields[k]=v
    return fields,params
groups=[('Speed',['fan-out','speculative-execution','stream-processing']),
        ('Quality',['critique-refine','ensemble-voting','consensus']),
        ('Cost',['active-learning','memoization','multi-armed-bandit']),
        ('Structure',['code-generation','recursive-delegation','meta-orchestration','tree-aggregation']),
        ('Specialised',['cumulative-fold','backtracking','anytime']),
        ('Compositions and baseline',['fan-out-synthesis','fan-out-tree-reduce','multi-stage-validation','active-learning-memoized','single-call'])]
names=sorted(f[:-4] for f in os.listdir(pdir) if f.endswith('.scm'))
allg=[n for _,ns in groups for n in ns]
assert sorted(allg)==names, (sorted(allg),names)
figs={}
for n in names:
    out=subprocess.run([binary,'simulate',f'patterns/{n}.scm','--items','100','--item-chars','2000','--runs','5','--json'],cwd=root,capture_output=True,text=True).stdout
    d=json.loads(out); figs[n]=d
def p50(x): return x['p50'] if isinstance(x,dict) else x
out=[]
catalogue=os.path.join(root,'docs/patterns.md')
text=open(catalogue).read()
out.append(text[:text.index('\n## Figures at a glance')])
out.append('\n## Figures at a glance\n\nSimulated with the embedded registry (tier-1 rate limits), 100 items of 2,000 characters, 5 runs, seed 1:\n`rlm-plan simulate patterns/NAME.scm --items 100 --item-chars 2000 --runs 5`. Medians; the planner re-simulates\nat your data\'s real shape, so use these only to compare patterns with each other.\n\n| pattern | outputs | quality prior | calls | cost (USD) | latency (s) |\n|---|---|---|---|---|---|\n')
for g,ns in groups:
    for n in ns:
        f,_=header(os.path.join(pdir,n+'.scm')); d=figs[n]
        q=f['quality'].split('|')[0].strip()
        out.append(f"| [`{n}`](#{n}) | {f['outputs']} | {q} | {p50(d['calls']):.0f} | {p50(d['cost_usd']):.4f} | {p50(d['latency_s']):.1f} |\n")
for g,ns in groups:
    out.append(f'\n# {g}\n')
    for n in ns:
        f,params=header(os.path.join(pdir,n+'.scm'))
        q,reason=[s.strip() for s in f['quality'].split('|',1)]
        out.append(f"\n## `{n}`\n\n**{f['title']}.** {f['purpose']}\n\n")
        out.append(f"- **Combinators:** {', '.join('`'+c.strip()+'`' if c.strip()!='(none)' else 'none' for c in f['combinators'].split(','))}\n")
        out.append(f"- **Task kinds:** {f['kinds']}\n")
        out.append(f"- **Outputs:** {f['outputs']}\n")
        out.append(f"- **Quality prior:** {q} — {reason}\n")
        out.append(f"- **Fits:** {f['fits']}\n")
        out.append(f"- **Avoid:** {f['avoid']}\n\n")
        out.append("| param | default | meaning |\n|---|---|---|\n")
        for (pn,pd,desc) in params:
            out.append(f"| `{pn}` | {pd} | {desc} |\n")
        out.append(f"\nFile: `patterns/{n}.scm`.\n")
open(os.path.join(root,'docs/patterns.md'),'w').write(''.join(out))
print('ok')
