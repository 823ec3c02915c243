# python3 perf-tree.py SCRIPT ROOT [N]: from `perf script` output with call chains, the direct children of the
# deepest frame containing ROOT and the inclusive shares (of all samples) of the frames below it
import collections,re,sys
samples=[];cur=[]
for line in open(sys.argv[1]):
    if line.strip()=="" :
        if cur: samples.append(cur); cur=[]
        continue
    if line.startswith('\t') or line.startswith(' '):
        s=line.strip().split(' ',1)
        if len(s)>1: cur.append(re.sub(r'\(.*','',s[1].rsplit(' (',1)[0]).split(' ')[-1])
if cur: samples.append(cur)
N=len(samples); root=sys.argv[2]; n=int(sys.argv[3]) if len(sys.argv)>3 else 40
inc=collections.Counter(); child=collections.Counter()
for fr in samples:
    idx=[i for i,f in enumerate(fr) if root in f]
    if not idx: continue
    i=idx[-1]
    below=fr[:i]
    for f in set(below): inc[f]+=1
    child[fr[i-1] if i>0 else 'SELF']+=1
print("direct children of",root)
for k,v in child.most_common(n): print(f"{v*100/N:5.1f}% {k}")
print("inclusive below")
for k,v in inc.most_common(n): print(f"{v*100/N:5.1f}% {k}")
